// Starts pbr-eval's language server (`pbr-eval lsp`, over stdio) for .pbr files.
// Highlighting comes from the TextMate grammar (syntaxes/pbr.tmLanguage.json).
"use strict";

const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const command = vscode.workspace.getConfiguration("pbr").get("server.command", "pbr-eval");
  const server = { command, args: ["lsp"] };
  client = new LanguageClient(
    "pbr",
    "PBR contracts (pbr-eval lsp)",
    { run: server, debug: server },
    { documentSelector: [{ language: "pbr" }] },
  );
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
