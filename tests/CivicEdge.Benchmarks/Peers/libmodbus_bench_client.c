/*
 * The libmodbus side of the Modbus TCP poll benchmark: reads the same block of holding registers POLLS times on one
 * connection, one request at a time, after WARMUP untimed polls, and prints "POLLS <n> SECONDS <s> PER_SECOND <rate>".
 *
 * Usage: libmodbus_bench_client HOST PORT UNIT ADDRESS COUNT WARMUP POLLS
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <modbus/modbus.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc != 8) {
        fprintf(stderr, "usage: %s HOST PORT UNIT ADDRESS COUNT WARMUP POLLS\n", argv[0]);
        return 64;
    }
    int address = atoi(argv[4]), count = atoi(argv[5]), warmup = atoi(argv[6]), polls = atoi(argv[7]);
    modbus_t *ctx = modbus_new_tcp(argv[1], atoi(argv[2]));
    if (ctx == NULL || modbus_set_slave(ctx, atoi(argv[3])) == -1 || modbus_connect(ctx) == -1) {
        fprintf(stderr, "cannot connect to %s:%s: %s\n", argv[1], argv[2], modbus_strerror(errno));
        return 1;
    }
    uint16_t registers[125];
    for (int i = 0; i < warmup; i++) {
        if (modbus_read_registers(ctx, address, count, registers) != count) {
            fprintf(stderr, "warm-up poll %d failed: %s\n", i, modbus_strerror(errno));
            return 1;
        }
    }
    double start = now();
    for (int i = 0; i < polls; i++) {
        if (modbus_read_registers(ctx, address, count, registers) != count) {
            fprintf(stderr, "poll %d failed: %s\n", i, modbus_strerror(errno));
            return 1;
        }
    }
    double seconds = now() - start;
    printf("POLLS %d SECONDS %.6f PER_SECOND %.1f\n", polls, seconds, polls / seconds);
    modbus_close(ctx);
    modbus_free(ctx);
    return 0;
}
