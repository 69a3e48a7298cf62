#!/usr/bin/env python3
"""Expected output of guests/programs/hello.c."""
print("Hello from tbsim guest!")
