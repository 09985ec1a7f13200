// Legitimate skill: reads a JSON value on stdin and answers
// {"result": <the same value with every string upper-cased>, "strings": <count>}.
// Pure computation: no files, no network.
#include <stdio.h>
#include <stdlib.h>

#define MAX_INPUT (256 * 1024)

int main(void) {
    static char buf[MAX_INPUT];
    size_t n = fread(buf, 1, sizeof buf, stdin);
    if (n == sizeof buf) {
        fputs("input too large\n", stderr);
        return 2;
    }
    int in_string = 0, escaped = 0;
    long strings = 0;
    for (size_t i = 0; i < n; i++) {
        char c = buf[i];
        if (in_string) {
            if (escaped) {
                escaped = 0;
            } else if (c == '\\') {
                escaped = 1;
            } else if (c == '"') {
                in_string = 0;
            } else if (c >= 'a' && c <= 'z') {
                buf[i] = (char) (c - 'a' + 'A');
            }
        } else if (c == '"') {
            in_string = 1;
            strings++;
        }
    }
    while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' ')) {
        n--;
    }
    fputs("{\"result\":", stdout);
    fwrite(buf, 1, n, stdout);
    printf(",\"strings\":%ld}", strings);
    return 0;
}
