// Legitimate skill for network grants: passes its stdin (a request object
// {"method":"GET","url":"http://host/path"}) to the host function moat.http_request
// and prints the response object. A negative return is an error code from the host.
#include <stdio.h>

__attribute__((import_module("moat"), import_name("http_request")))
int moat_http_request(const char *req, int req_len, char *resp, int resp_cap);

int main(void) {
    static char req[8192], resp[65536];
    size_t n = fread(req, 1, sizeof req, stdin);
    int r = moat_http_request(req, (int) n, resp, (int) sizeof resp);
    if (r < 0) {
        printf("{\"error\":%d}", r);
        return 5;
    }
    fwrite(resp, 1, (size_t) r, stdout);
    return 0;
}
