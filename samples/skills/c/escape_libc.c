// Hostile: tries to read host files through libc with absolute and ".." paths and prints
// whatever it gets. Exits 0 only if one of them worked (the sandbox must make that impossible).
#include <stdio.h>

int main(void) {
    const char *paths[] = {"/etc/passwd", "../../../../etc/passwd", "/proc/self/environ"};
    for (int i = 0; i < 3; i++) {
        FILE *f = fopen(paths[i], "rb");
        if (f) {
            char buf[256];
            size_t n = fread(buf, 1, sizeof buf, f);
            fwrite(buf, 1, n, stdout);
            return 0;
        }
    }
    return 7;
}
