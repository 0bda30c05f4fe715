/* smtp.c -- one message through SMTP with libcurl (smtp.h). */
#include "util/smtp.h"

#include <curl/curl.h>
#include <stdio.h>
#include <string.h>

bool smtp_init(void)
{
    return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
}

struct upload {
    const char *data;
    size_t left;
};

/* libcurl reads the message from here; the SMTP dot-stuffing is libcurl's. */
static size_t read_message(char *buffer, size_t size, size_t nitems, void *userdata)
{
    struct upload *up = userdata;
    size_t n = size * nitems < up->left ? size * nitems : up->left;
    memcpy(buffer, up->data, n);
    up->data += n;
    up->left -= n;
    return n;
}

bool smtp_send(const struct smtp_config *cfg, const char *from, const char *to,
               const char *message, char *error, size_t error_size)
{
    CURL *curl = curl_easy_init();
    if (!curl) {
        snprintf(error, error_size, "libcurl could not start");
        return false;
    }
    char curl_error[CURL_ERROR_SIZE] = "";
    struct upload up = {message, strlen(message)};
    struct curl_slist *rcpt = curl_slist_append(NULL, to);
    curl_easy_setopt(curl, CURLOPT_URL, cfg->url);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(curl, CURLOPT_USE_SSL, cfg->require_tls ? CURLUSESSL_ALL : CURLUSESSL_TRY);
    if (cfg->user) {
        curl_easy_setopt(curl, CURLOPT_USERNAME, cfg->user);
        curl_easy_setopt(curl, CURLOPT_PASSWORD, cfg->password ? cfg->password : "");
    }
    curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from);
    curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, read_message);
    curl_easy_setopt(curl, CURLOPT_READDATA, &up);
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, cfg->timeout_seconds > 0 ? cfg->timeout_seconds : 60L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, curl_error);
    CURLcode rc = curl_easy_perform(curl);
    long reply = 0;     /* the server's last SMTP reply code: what it refused with */
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply);
    if (rc != CURLE_OK && reply)
        snprintf(error, error_size, "%s (SMTP %ld)", curl_error[0] ? curl_error
                 : curl_easy_strerror(rc), reply);
    else if (rc != CURLE_OK)
        snprintf(error, error_size, "%s", curl_error[0] ? curl_error : curl_easy_strerror(rc));
    curl_slist_free_all(rcpt);
    curl_easy_cleanup(curl);
    return rc == CURLE_OK;
}
