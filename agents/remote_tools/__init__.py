"""Tools that live on remote MCP servers, offered to agents and called as durable `run_tool` steps."""
