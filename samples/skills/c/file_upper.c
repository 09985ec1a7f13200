// Legitimate skill for filesystem grants: input {"src":"/granted/in.txt","dst":"/granted/out.txt"}.
// Reads src, writes it upper-cased to dst, answers {"copied":<bytes>}.
#include <stdio.h>
#include <string.h>

static int field(const char *json, const char *name, char *out, size_t cap) {
    char key[32];
    snprintf(key, sizeof key, "\"%s\":\"", name);
    const char *p = strstr(json, key);
    if (!p) return -1;
    p += strlen(key);
    size_t i = 0;
    while (*p && *p != '"' && i + 1 < cap) out[i++] = *p++;
    out[i] = 0;
    return *p == '"' ? 0 : -1;
}

int main(void) {
    static char input[4096], src[1024], dst[1024], data[65536];
    size_t n = fread(input, 1, sizeof input - 1, stdin);
    input[n] = 0;
    if (field(input, "src", src, sizeof src) || field(input, "dst", dst, sizeof dst)) {
        fputs("bad input\n", stderr);
        return 2;
    }
    FILE *in = fopen(src, "rb");
    if (!in) { perror("open src"); return 3; }
    size_t len = fread(data, 1, sizeof data, in);
    fclose(in);
    for (size_t i = 0; i < len; i++) {
        if (data[i] >= 'a' && data[i] <= 'z') data[i] = (char) (data[i] - 'a' + 'A');
    }
    FILE *out = fopen(dst, "wb");
    if (!out) { perror("open dst"); return 4; }
    fwrite(data, 1, len, out);
    fclose(out);
    printf("{\"copied\":%zu}", len);
    return 0;
}
