/*
 * A Modbus TCP server built on libmodbus, the reference the benchmarks measure against.
 *
 * Usage: libmodbus_server PORT   (0 lets the OS choose)
 * Serves any unit: holding registers 0..99 hold their own address. Prints "READY <port>" once it listens, serves one
 * connection at a time until the peer hangs up, and runs until killed.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <modbus/modbus.h>

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s PORT\n", argv[0]);
        return 64;
    }
    modbus_t *ctx = modbus_new_tcp("127.0.0.1", atoi(argv[1]));
    modbus_mapping_t *mapping = modbus_mapping_new(0, 0, 100, 0);
    if (ctx == NULL || mapping == NULL) {
        fprintf(stderr, "cannot allocate the server: %s\n", modbus_strerror(errno));
        return 1;
    }
    for (int i = 0; i < 100; i++)
        mapping->tab_registers[i] = (uint16_t)i;

    int listener = modbus_tcp_listen(ctx, 1);
    struct sockaddr_in bound;
    socklen_t length = sizeof bound;
    if (listener == -1 || getsockname(listener, (struct sockaddr *)&bound, &length) == -1) {
        fprintf(stderr, "cannot listen on port %s: %s\n", argv[1], strerror(errno));
        return 1;
    }
    printf("READY %d\n", ntohs(bound.sin_port));
    fflush(stdout);

    uint8_t query[MODBUS_TCP_MAX_ADU_LENGTH];
    for (;;) {
        if (modbus_tcp_accept(ctx, &listener) == -1)
            continue;
        for (;;) {
            int received = modbus_receive(ctx, query);
            if (received > 0)
                modbus_reply(ctx, query, received, mapping);
            else if (received == -1)
                break;
        }
        modbus_close(ctx);
    }
}
