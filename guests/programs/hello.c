/* The smallest guest: one line on the console, exit code 0. */
#include "runtime.h"

int main(void) {
    rt_puts("Hello from tbsim guest!\n");
    return 0;
}
