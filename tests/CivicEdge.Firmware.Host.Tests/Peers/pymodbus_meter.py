"""An independent Modbus RTU slave for the firmware master's tests, built on pymodbus.

Usage: pymodbus_meter.py SERIAL_PATH

Serves unit 1 at 115200 baud: holding registers 0..9 = 100..109, input registers 0..9 = 200..209, coils 0..9 off;
any address beyond 9 is unmapped, so pymodbus answers exception 02 (illegal data address). Prints "READY rtu PATH"
once it serves, then serves until stdin closes or it is killed.
"""

import asyncio
import sys

from pymodbus.datastore import ModbusSequentialDataBlock, ModbusServerContext, ModbusSlaveContext
from pymodbus.server.async_io import ModbusSerialServer
from pymodbus.transaction import ModbusRtuFramer

COUNT = 10


def build_context():
    # zero_mode: protocol address N is data block index N (pymodbus otherwise shifts by one).
    slave = ModbusSlaveContext(
        hr=ModbusSequentialDataBlock(0, [100 + i for i in range(COUNT)]),
        ir=ModbusSequentialDataBlock(0, [200 + i for i in range(COUNT)]),
        co=ModbusSequentialDataBlock(0, [False] * COUNT),
        di=ModbusSequentialDataBlock(0, [False] * COUNT),
        zero_mode=True,
    )
    return ModbusServerContext(slaves={1: slave}, single=False)


async def serve(path):
    server = ModbusSerialServer(build_context(), framer=ModbusRtuFramer, port=path, baudrate=115200, timeout=0.005)
    await server.start()
    if server.transport is None:
        print(f"FAILED could not open {path}", flush=True)
        sys.exit(2)
    print(f"READY rtu {path}", flush=True)
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, sys.stdin.read)
    await server.shutdown()


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print("usage: pymodbus_meter.py SERIAL_PATH", file=sys.stderr)
        sys.exit(64)
    asyncio.run(serve(sys.argv[1]))
