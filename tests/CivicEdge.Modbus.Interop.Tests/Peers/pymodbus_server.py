"""An independent Modbus slave for interoperability tests, built on pymodbus.

Usage: pymodbus_server.py tcp HOST
       pymodbus_server.py rtu-over-tcp HOST
       pymodbus_server.py rtu SERIAL_PATH

Serves unit 1 with holding registers 0..9 = 100..109 and input registers 0..9 = 200..209; any address beyond
register 9 is unmapped, so pymodbus answers exception 02 (illegal data address). Prints one readiness line
("READY tcp PORT", "READY rtu-over-tcp PORT" or "READY rtu PATH") on stdout once it accepts requests, then serves until stdin closes or it is
killed.
"""

import asyncio
import sys

from pymodbus.datastore import ModbusServerContext, ModbusSequentialDataBlock, ModbusSlaveContext
from pymodbus.server.async_io import ModbusSerialServer, ModbusTcpServer
from pymodbus.transaction import ModbusRtuFramer, ModbusSocketFramer

REGISTER_COUNT = 10


def build_context():
    # zero_mode: protocol address N is data block index N (pymodbus otherwise shifts by one).
    slave = ModbusSlaveContext(
        hr=ModbusSequentialDataBlock(0, [100 + i for i in range(REGISTER_COUNT)]),
        ir=ModbusSequentialDataBlock(0, [200 + i for i in range(REGISTER_COUNT)]),
        co=ModbusSequentialDataBlock(0, [False] * REGISTER_COUNT),
        di=ModbusSequentialDataBlock(0, [False] * REGISTER_COUNT),
        zero_mode=True,
    )
    return ModbusServerContext(slaves={1: slave}, single=False)


async def wait_for_stdin_to_close():
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, sys.stdin.read)


async def serve_tcp(host, mode):
    # RTU over TCP: RTU frames (address, PDU, CRC) on a TCP stream, as serial-to-Ethernet converters pass them on.
    framer = ModbusRtuFramer if mode == "rtu-over-tcp" else ModbusSocketFramer
    server = ModbusTcpServer(build_context(), framer=framer, address=(host, 0), allow_reuse_address=True)
    task = asyncio.create_task(server.serve_forever())
    await server.serving
    port = server.server.sockets[0].getsockname()[1]
    print(f"READY {mode} {port}", flush=True)
    await wait_for_stdin_to_close()
    task.cancel()


async def serve_rtu(path):
    server = ModbusSerialServer(build_context(), framer=ModbusRtuFramer, port=path, baudrate=115200, timeout=0.005)
    await server.start()
    if server.transport is None:
        print(f"FAILED could not open {path}", flush=True)
        sys.exit(2)
    print(f"READY rtu {path}", flush=True)
    await wait_for_stdin_to_close()
    await server.shutdown()


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("tcp", "rtu-over-tcp", "rtu"):
        print("usage: pymodbus_server.py tcp HOST | rtu-over-tcp HOST | rtu SERIAL_PATH", file=sys.stderr)
        sys.exit(64)
    mode, where = sys.argv[1], sys.argv[2]
    asyncio.run(serve_rtu(where) if mode == "rtu" else serve_tcp(where, mode))


if __name__ == "__main__":
    main()
