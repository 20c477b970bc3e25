"""The ceiling: a minimal fan-out WebSocket server, to show what one Python process can do.

It speaks the subset of Causerie's protocol the load generator uses (`hello` → `welcome`,
`join` → `joined`, `say` → `message` to every member of the room, sender included), with none
of the product (no policy, no storage). Each message is encoded once as a whole server frame;
the same bytes are appended to every member's buffer, and the buffers are flushed once per
loop iteration with one `write` per connection (coalescing). `--naive` shows the opposite:
stock asyncio and one `write` per recipient per message.

    python bench/ceiling.py [--port 0] [--naive]     # prints "listening on 127.0.0.1:PORT"
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import hashlib
import json
import struct

GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC11B65"
MAX_PENDING_BYTES = 4 * 1024 * 1024


def server_frame(payload: bytes, opcode: int = 0x1) -> bytes:
    length = len(payload)
    if length < 126:
        return struct.pack("!BB", 0x80 | opcode, length) + payload
    if length < 65536:
        return struct.pack("!BBH", 0x80 | opcode, 126, length) + payload
    return struct.pack("!BBQ", 0x80 | opcode, 127, length) + payload


def unmask(mask: bytes, payload: bytes) -> bytes:
    if mask == b"\x00\x00\x00\x00" or not payload:
        return payload
    n = len(payload)
    key = (mask * (n // 4 + 1))[:n]
    return (int.from_bytes(payload, "big") ^ int.from_bytes(key, "big")).to_bytes(n, "big")


class Hub:
    def __init__(self, naive: bool) -> None:
        self.rooms: dict[str, set[Client]] = {}
        self.naive = naive
        self._dirty: set[Client] = set()
        self._flush_scheduled = False

    def send(self, client: Client, frame: bytes) -> None:
        if self.naive:
            client.write(frame)
            return
        client.pending.append(frame)
        self._dirty.add(client)
        if not self._flush_scheduled:
            self._flush_scheduled = True
            asyncio.get_running_loop().call_soon(self._flush)

    def broadcast(self, room: str, frame: bytes) -> None:
        members = self.rooms.get(room, ())
        if self.naive:
            for client in members:
                client.write(frame)
            return
        for client in members:
            client.pending.append(frame)
        self._dirty.update(members)
        if not self._flush_scheduled:
            self._flush_scheduled = True
            asyncio.get_running_loop().call_soon(self._flush)

    def _flush(self) -> None:
        self._flush_scheduled = False
        dirty, self._dirty = self._dirty, set()
        for client in dirty:
            if client.pending:
                client.write(b"".join(client.pending))
                client.pending.clear()


class Client(asyncio.Protocol):
    def __init__(self, hub: Hub) -> None:
        self.hub = hub
        self.transport: asyncio.Transport | None = None
        self.buffer = bytearray()
        self.is_open = False
        self.nick = ""
        self.rooms: set[str] = set()
        self.pending: list[bytes] = []

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]  (uvloop's is not a subclass)

    def connection_lost(self, exc: Exception | None) -> None:
        for room in self.rooms:
            self.hub.rooms.get(room, set()).discard(self)
        self.transport = None

    def write(self, data: bytes) -> None:
        transport = self.transport
        if transport is None:
            return
        if transport.get_write_buffer_size() > MAX_PENDING_BYTES:
            transport.abort()  # too slow: never let one reader grow memory
            return
        transport.write(data)

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        if not self.is_open:
            head, found, rest = bytes(self.buffer).partition(b"\r\n\r\n")
            if not found:
                return
            key = b""
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"sec-websocket-key":
                    key = value.strip()
            accept = base64.b64encode(hashlib.sha1(key + GUID).digest())
            assert self.transport is not None
            self.transport.write(
                b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                b"Connection: Upgrade\r\nSec-WebSocket-Accept: " + accept + b"\r\n\r\n"
            )
            self.is_open = True
            self.buffer = bytearray(rest)
        self._frames()

    def _frames(self) -> None:
        buffer = self.buffer
        while len(buffer) >= 6:
            opcode, length = buffer[0] & 0x0F, buffer[1] & 0x7F
            at = 2
            if length == 126:
                if len(buffer) < 8:
                    return
                (length,) = struct.unpack_from("!H", buffer, 2)
                at = 4
            elif length == 127:
                if len(buffer) < 14:
                    return
                (length,) = struct.unpack_from("!Q", buffer, 2)
                at = 10
            if len(buffer) < at + 4 + length:
                return
            mask = bytes(buffer[at : at + 4])
            payload = unmask(mask, bytes(buffer[at + 4 : at + 4 + length]))
            del buffer[: at + 4 + length]
            if opcode == 0x1:
                self._command(payload)
            elif opcode == 0x9:
                self.hub.send(self, server_frame(payload, 0xA))
            elif opcode == 0x8:
                if self.transport is not None:
                    self.transport.write(server_frame(b"\x03\xe8", 0x8))
                    self.transport.close()
                return

    def _command(self, payload: bytes) -> None:
        try:
            command = json.loads(payload)
            kind = command["type"]
        except (ValueError, KeyError, TypeError):
            self.hub.send(self, server_frame(b'{"type":"error","code":"invalid"}'))
            return
        if kind == "hello":
            self.nick = str(command.get("nick", ""))
            self.hub.send(self, server_frame(b'{"type":"welcome"}'))
        elif kind == "join":
            room = str(command.get("room", ""))
            self.rooms.add(room)
            self.hub.rooms.setdefault(room, set()).add(self)
            reply = json.dumps({"type": "joined", "room": room}, separators=(",", ":")).encode()
            self.hub.send(self, server_frame(reply))
        elif kind == "say":
            room = str(command.get("room", ""))
            message = {"type": "message", "room": room, "from": {"nick": self.nick}}
            message["text"] = str(command.get("text", ""))
            self.hub.broadcast(
                room, server_frame(json.dumps(message, separators=(",", ":")).encode())
            )


async def serve(host: str, port: int, naive: bool) -> None:
    hub = Hub(naive)
    server = await asyncio.get_running_loop().create_server(
        lambda: Client(hub), host, port, backlog=4096
    )
    bound = server.sockets[0].getsockname()
    print(f"listening on {bound[0]}:{bound[1]}", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--naive", action="store_true", help="stock asyncio, one write each")
    args = parser.parse_args()
    if args.naive:
        asyncio.run(serve(args.host, args.port, naive=True))
    else:
        import uvloop

        uvloop.run(serve(args.host, args.port, naive=False))
