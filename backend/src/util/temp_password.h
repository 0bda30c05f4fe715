/* temp_password.h -- the temporary passwords an admin hands over once: random from
 * libsodium, in an alphabet without look-alikes (no 0/O, 1/l/I), grouped for reading. */
#ifndef DL_UTIL_TEMP_PASSWORD_H
#define DL_UTIL_TEMP_PASSWORD_H

/* Four groups of four characters joined by '-': 19 characters, about 92 bits. */
#define TEMP_PASSWORD_SIZE 20

void temp_password_new(char out[TEMP_PASSWORD_SIZE]);
/* Wipes a password from memory (the compiler may not skip it). */
void temp_password_wipe(char *buf, unsigned long size);

#endif
