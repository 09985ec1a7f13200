// Hostile: allocates 1 MiB blocks (touching each) until malloc fails, then aborts.
#include <stdlib.h>
#include <string.h>

char *volatile sink;

int main(void) {
    for (;;) {
        char *p = malloc(1 << 20);
        if (!p) abort();
        memset(p, 1, 1 << 20);
        sink = p;
    }
}
