// Run bridge requests in the Pyodide runtime exactly as a built site ships it, under Node: the
// site's own worker.mjs boots it from the site's own files. The parity tests compare the answers
// with CPython's.
//
// Usage: node pyodide_run.mjs SITE_DIR REQUESTS_JSON [image]
//        prints a JSON list of answer texts; with "image", from a runtime restored from the
//        first one's memory snapshot, as a reader's browser starts on later visits.
// The runtime config is read from the built calculator page, as the browser reads it.
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";

process.on("uncaughtException", (err) => { console.error(String(err?.message ?? err)); process.exit(1); });
process.on("unhandledRejection", (err) => { console.error(String(err?.message ?? err)); process.exit(1); });

const [site, requestsJson] = process.argv.slice(2, 4).map((p) => resolve(p));
const fromImage = process.argv[4] === "image";
// The program name a browser gives (sitebuild/wasm_profile.mjs): the trimmed wasm has Python's
// start-up code for it only.
process.argv.splice(1);
const page = readFileSync(join(site, "calculators/match/index.html"), "utf8");
const attr = /data-runtime="([^"]*)"/.exec(page)[1].replace(/&#34;|&quot;/g, '"').replace(/&amp;/g, "&");
const runtime = JSON.parse(attr);
const abs = (path) => join(site, path.split("?")[0]);
const { boot } = await import(abs(runtime.workerURL));
const config = { ...runtime, indexURL: abs(runtime.indexURL) + "/", stdLibURL: abs(runtime.stdLibURL), appURL: abs(runtime.appURL) };
const readBytes = (path) => readFile(path);
let engine = await boot(config, readBytes, { makeSnapshot: fromImage });
if (fromImage) engine = await boot(config, readBytes, { snapshot: engine.snapshot });
const { handle } = engine;
const requests = JSON.parse(readFileSync(requestsJson, "utf8"));
process.stdout.write(JSON.stringify(requests.map((r) => handle(r))));
