-- Neovim (0.7+) as an outside LSP client, run headless by nvim.test.ts: opens the spec, attaches
-- `supervise lsp --stdio`, waits for diagnostics, asks for a hover and a definition, and writes
-- what it got to $SUP_OUT, one fact a line. This is the setup docs/editor.md shows.
local spec, out = os.getenv("SUP_SPEC"), io.open(os.getenv("SUP_OUT"), "w")
vim.cmd("edit " .. vim.fn.fnameescape(spec))
local buf = vim.api.nvim_get_current_buf()
vim.bo[buf].filetype = "supervise"
local client = vim.lsp.start_client({
  name = "supervise",
  cmd = { os.getenv("SUP_NODE"), os.getenv("SUP_CLI"), "lsp", "--stdio" },
  root_dir = vim.fn.fnamemodify(spec, ":h"),
})
vim.lsp.buf_attach_client(buf, client)

local got = vim.wait(30000, function() return #vim.diagnostic.get(buf) > 0 end, 50)
out:write("diagnostics " .. tostring(got) .. "\n")
for _, d in ipairs(vim.diagnostic.get(buf)) do
  local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code) or ""
  out:write(string.format("diagnostic line %d %s %s\n", d.lnum + 1, code, (d.message:gsub("\n", " | "))))
end

local function request(method, line, character)
  local params = { textDocument = { uri = vim.uri_from_bufnr(buf) }, position = { line = line, character = character } }
  local responses = vim.lsp.buf_request_sync(buf, method, params, 30000) or {}
  for _, response in pairs(responses) do
    if response.result then return response.result end
  end
  return nil
end

-- Positions from the environment: "line:character", 0-based.
local function position(name)
  local line, character = os.getenv(name):match("(%d+):(%d+)")
  return tonumber(line), tonumber(character)
end

local hover = request("textDocument/hover", position("SUP_HOVER_AT"))
local value = hover and hover.contents and (hover.contents.value or hover.contents) or ""
out:write("hover " .. (type(value) == "string" and value:gsub("\n", " | ") or vim.inspect(value)) .. "\n")

local definition = request("textDocument/definition", position("SUP_DEFINITION_AT"))
if definition and definition[1] then definition = definition[1] end
if definition and definition.range then
  out:write(string.format("definition %s %d:%d\n", definition.uri, definition.range.start.line, definition.range.start.character))
else
  out:write("definition none\n")
end
out:close()
vim.lsp.stop_client(client)
vim.wait(5000, function() return vim.lsp.get_client_by_id(client) == nil end, 50)
vim.cmd("qa!")
