//! The long help of the commands whose use needs explaining before the first run.

/// `renova authorize --help`: the redirect URI to register first.
pub(super) const AUTHORIZE: &str =
    "Get tokens by authorizing in the browser (RD Station's authorization dialog).

Renova listens on this machine for the browser to come back with the authorization code, at the
account's redirect URI: by default http://127.0.0.1:8787/callback (with --port N:
http://127.0.0.1:N/callback; another one with `renova edit NAME --redirect-uri URI`).

Register that exact redirect URI as a callback URL of your app in RD Station's App Publisher
before you start: RD compares it character by character, and changes there can take up to an
hour to apply. RD's \"O parâmetro redirect_uri não contém um valor válido\" means it does not
(yet) know this URI.

If your app's callback is a website, allow access in the browser, then paste the address you
were sent to (or the bare code) on standard input. Renova waits 10 minutes at most.";

/// `renova mcp --help`: what is shared, the tools, and one set-up line per client.
pub(super) const MCP: &str = "Let AI assistants use shared accounts without seeing their tokens: an MCP \
server on standard input and output, for an MCP client to start. Logs go to standard error.

Nothing is shared until you say so, per account:
  renova edit NAME --assistants call     # requests through Renova with the account's token
  renova edit NAME --assistants token    # … and reading the token itself (get_token)
  renova edit NAME --assistant-origins https://api.rd.services,…   # where the token may go

Tools: list_accounts (names and state, never a secret), http_request (Renova adds the token,
only to an allowed origin, and cuts every secret it knows out of the answer), get_token (only
for accounts set to `token`). Every call is written to the audit log.

Set-up, one line per client:
  Claude Code:  claude mcp add renova -- renova mcp
  Codex:        codex mcp add renova -- renova mcp
  Cursor, in ~/.cursor/mcp.json:
    {\"mcpServers\": {\"renova\": {\"command\": \"renova\", \"args\": [\"mcp\"]}}}
  VS Code, in .vscode/mcp.json:
    {\"servers\": {\"renova\": {\"type\": \"stdio\", \"command\": \"renova\", \"args\": [\"mcp\"]}}}";
