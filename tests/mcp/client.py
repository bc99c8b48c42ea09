#!/usr/bin/env python3
"""A real MCP client (the official Python SDK, `mcp` on PyPI) that drives `renova mcp` for the
tests. Reads a JSON plan on stdin, prints a JSON report on stdout.

Plan: {"name": client name, "version": client version, "steps": [step, ...]} where a step is
  {"list_tools": true}
  {"tool": NAME, "args": {...}}
  {"parallel": [step, ...]}            (run together, with asyncio.gather)
Report: {"server": {...}, "protocol": version, "results": [result, ...]}.
Usage: client.py RENOVA_BINARY [ARGS...]   (the environment is passed on to the server)
"""
import asyncio
import json
import os
import sys

from mcp import ClientSession, StdioServerParameters, types
from mcp.client.stdio import stdio_client


def dump(model):
    return model.model_dump(mode="json", by_alias=False, exclude_none=True)


async def step(session, s):
    if s.get("list_tools"):
        tools = await session.list_tools()
        return {"tools": [dump(t) for t in tools.tools]}
    if "parallel" in s:
        return {"parallel": await asyncio.gather(*(step(session, x) for x in s["parallel"]))}
    result = await session.call_tool(s["tool"], s.get("args", {}))
    text = "".join(c.text for c in result.content if getattr(c, "type", "") == "text")
    return {
        "is_error": bool(result.is_error),
        "text": text,
        "structured": result.structured_content,
    }


async def main():
    plan = json.load(sys.stdin)
    params = StdioServerParameters(
        command=sys.argv[1], args=sys.argv[2:] or ["mcp"], env=dict(os.environ)
    )
    info = types.Implementation(name=plan.get("name", "test-client"), version=plan.get("version", "0"))
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write, client_info=info) as session:
            init = await session.initialize()
            results = [await step(session, s) for s in plan["steps"]]
            print(json.dumps({
                "server": dump(init.server_info) if getattr(init, "server_info", None) else None,
                "protocol": str(getattr(init, "protocol_version", "")),
                "results": results,
            }))


asyncio.run(main())
