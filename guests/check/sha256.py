#!/usr/bin/env python3
"""Expected output of guests/programs/sha256.c for the input file argv[1] (hashlib)."""
import hashlib
import sys
data = open(sys.argv[1], 'rb').read() if len(sys.argv) > 1 else b''
print(hashlib.sha256(data).hexdigest())
print(f"bytes: {len(data)}")
