/*
 * An independent Modbus master for interoperability tests, built on libmodbus (the reference C library).
 *
 * Usage: libmodbus_client tcp HOST PORT UNIT COMMAND ...
 *        libmodbus_client rtu PATH BAUD UNIT COMMAND ...
 * Commands: read-holding ADDRESS COUNT | read-input ADDRESS COUNT | write ADDRESS VALUE... | raw PDU-BYTE-IN-HEX...
 * Prints one line: "OK" followed by the registers read, "EXCEPTION <code>" when the slave answered with a Modbus
 * exception, "PDU" followed by the response PDU in hex for a raw request (libmodbus sends it unchecked, so a request
 * its own API refuses to build can reach the slave), or "ERROR <reason>" for anything else (exit code 1).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <modbus/modbus.h>

static int report_failure(void)
{
    /* libmodbus maps an exception response to errno MODBUS_ENOBASE + exception code. */
    if (errno > MODBUS_ENOBASE && errno < MODBUS_ENOBASE + 64) {
        printf("EXCEPTION %d\n", errno - MODBUS_ENOBASE);
        return 0;
    }
    printf("ERROR %s\n", modbus_strerror(errno));
    return 1;
}

int main(int argc, char **argv)
{
    if (argc < 7) {
        fprintf(stderr, "usage: %s tcp HOST PORT UNIT COMMAND ... | rtu PATH BAUD UNIT COMMAND ...\n", argv[0]);
        return 64;
    }
    modbus_t *ctx = strcmp(argv[1], "rtu") == 0
        ? modbus_new_rtu(argv[2], atoi(argv[3]), 'N', 8, 1)
        : modbus_new_tcp(argv[2], atoi(argv[3]));
    if (ctx == NULL) {
        printf("ERROR cannot create context: %s\n", modbus_strerror(errno));
        return 1;
    }
    modbus_set_response_timeout(ctx, 2, 0);
    if (modbus_set_slave(ctx, atoi(argv[4])) == -1 || modbus_connect(ctx) == -1) {
        printf("ERROR cannot connect to %s: %s\n", argv[2], modbus_strerror(errno));
        modbus_free(ctx);
        return 1;
    }

    const char *command = argv[5];
    int address = atoi(argv[6]);
    int rc = 1;
    if (strcmp(command, "raw") == 0 && argc - 6 < MODBUS_MAX_PDU_LENGTH) {
        uint8_t request[MODBUS_MAX_PDU_LENGTH + 1];
        uint8_t response[MODBUS_MAX_ADU_LENGTH];
        int length = argc - 6;
        request[0] = (uint8_t)atoi(argv[4]);
        for (int i = 0; i < length; i++)
            request[1 + i] = (uint8_t)strtol(argv[6 + i], NULL, 16);
        int received = modbus_send_raw_request(ctx, request, length + 1) == -1
            ? -1
            : modbus_receive_confirmation(ctx, response);
        if (received == -1) {
            printf("ERROR %s\n", modbus_strerror(errno));
        } else {
            /* The PDU sits after the MBAP header (TCP) or the address byte (RTU) and before the RTU CRC. */
            int header = modbus_get_header_length(ctx);
            int trailer = strcmp(argv[1], "rtu") == 0 ? 2 : 0;
            printf("PDU");
            for (int i = header; i < received - trailer; i++)
                printf(" %02X", response[i]);
            printf("\n");
            rc = 0;
        }
    } else if ((strcmp(command, "read-holding") == 0 || strcmp(command, "read-input") == 0) && argc == 8) {
        uint16_t registers[125];
        int count = atoi(argv[7]);
        int read = strcmp(command, "read-holding") == 0
            ? modbus_read_registers(ctx, address, count, registers)
            : modbus_read_input_registers(ctx, address, count, registers);
        if (read == -1) {
            rc = report_failure();
        } else {
            printf("OK");
            for (int i = 0; i < read; i++)
                printf(" %u", registers[i]);
            printf("\n");
            rc = 0;
        }
    } else if (strcmp(command, "write") == 0 && argc > 7 && argc - 7 <= 123) {
        uint16_t values[123];
        int count = argc - 7;
        for (int i = 0; i < count; i++)
            values[i] = (uint16_t)atoi(argv[7 + i]);
        int written = count == 1
            ? modbus_write_register(ctx, address, values[0])
            : modbus_write_registers(ctx, address, count, values);
        if (written == -1) {
            rc = report_failure();
        } else {
            printf("OK\n");
            rc = 0;
        }
    } else {
        printf("ERROR unknown command or wrong argument count: %s\n", command);
        rc = 64;
    }

    modbus_close(ctx);
    modbus_free(ctx);
    return rc;
}
