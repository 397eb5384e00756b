// Build-time half of the extras archive (sitebuild/pyodide_extras.py), run under Node.
//
//   1. in a stock runtime of the pinned Pyodide, compile the extras' sources to bytecode without
//      docstrings, as pyodide_compile.mjs compiles the calculators, into a stored zip;
//   2. boot a runtime from the shipped archives with the shipped worker's own code, attach the
//      extras archive as the worker does (attachExtras), replay every extras request and check
//      that each answer is CPython's, byte for byte.
//
// Usage: node pyodide_extras.mjs PYODIDE_DIR COMPILED_DIR OUT_DIR WORKER_MJS
//        (OUT_DIR holds extras-src.zip and replay.json; extras.zip and manifest.json are written)
import { readFileSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";

process.on("uncaughtException", (err) => { console.error(String(err?.message ?? err)); process.exit(1); });
process.on("unhandledRejection", (err) => { console.error(String(err?.message ?? err)); process.exit(1); });

const [pyodideDir, compiledDir, outDir, workerModule] = process.argv.slice(2).map((p) => resolve(p));
const { loadPyodide } = await import(join(pyodideDir, "pyodide.mjs"));
const { boot, attachExtras, EXTRAS_ZIP } = await import(workerModule);
const { requests, expected } = JSON.parse(readFileSync(join(outDir, "replay.json"), "utf8"));

const COMPILE = `
import ast, importlib._bootstrap_external as bootstrap
import importlib.util, io, zipfile

class Undocumented(ast.NodeTransformer):
    """Docstrings out; asserts stay (as pyodide_compile.mjs compiles the calculators)."""
    def strip(self, node):
        self.generic_visit(node)
        body = node.body
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \\
                and isinstance(body[0].value.value, str):
            node.body = body[1:] or [ast.Pass(lineno=body[0].lineno, col_offset=0)]
        return node
    visit_Module = visit_ClassDef = visit_FunctionDef = visit_AsyncFunctionDef = strip

src = zipfile.ZipFile("/tmp/extras-src.zip")
out = io.BytesIO()
with zipfile.ZipFile(out, "w") as z:
    for name in sorted(src.namelist()):
        data = src.read(name)
        tree = ast.fix_missing_locations(Undocumented().visit(ast.parse(data, name)))
        code = compile(tree, f"{EXTRAS_ZIP}/{name}", "exec", dont_inherit=True)
        pyc = bootstrap._code_to_hash_pyc(code, importlib.util.source_hash(data), checked=False)
        info = zipfile.ZipInfo(name + "c", date_time=(1980, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_STORED  # HTTP compresses the whole archive better
        z.writestr(info, pyc)
extras_bytes = out.getvalue()
`;

const quiet = { stdout: () => {}, stderr: (s) => process.stderr.write(s + "\n") };
const stock = await loadPyodide({ indexURL: pyodideDir + "/", ...quiet });
stock.FS.writeFile("/tmp/extras-src.zip", new Uint8Array(readFileSync(join(outDir, "extras-src.zip"))));
stock.globals.set("EXTRAS_ZIP", EXTRAS_ZIP);
stock.runPython(COMPILE);
const extrasBytes = stock.globals.get("extras_bytes").toJs();
writeFileSync(join(outDir, "extras.zip"), extrasBytes);

const manifest = JSON.parse(readFileSync(join(compiledDir, "manifest.json"), "utf8"));
const config = {
  indexURL: pyodideDir + "/", stdLibURL: join(compiledDir, "stdlib.zip"), appURL: join(compiledDir, "app.zip"),
  lock: manifest.pyodide,
};
const shipped = await boot(config, (path) => readFile(path));
attachExtras(shipped.pyodide, extrasBytes);
requests.forEach((request, i) => {
  const answer = shipped.handle(request);
  if (answer !== expected[i]) {
    console.error(`extras replay differs at request ${i}:\n CPython: ${expected[i].slice(0, 600)}\n Pyodide: ${answer.slice(0, 600)}`);
    process.exit(1);
  }
});
writeFileSync(join(outDir, "manifest.json"), JSON.stringify({ requests: requests.length, bytes: extrasBytes.length }, null, 1));
console.log(`extras archive: ${extrasBytes.length} bytes; ${requests.length} requests replayed as CPython answers them`);
