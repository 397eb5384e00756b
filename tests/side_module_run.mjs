// Start Pyodide from DIR (its glue: stock or edited by sitebuild/glue_patches.py) under Node and
// link a side module, as a package's .so would be linked; test_glue_patches.py compares the two.
//
// Usage: node side_module_run.mjs DIR STDLIB_ZIP
//        prints {"arity": [[name, parameters], …], "got": …, "version": …, "none": …, "answer": …}
import { readFileSync } from "node:fs";

const [dir, stdlib] = process.argv.slice(2);
process.argv.splice(1); // the program name a browser gives (sitebuild/wasm_profile.mjs)

// The side module, by hand: a dylink.0 section (no memory, no table of its own), the address of
// a main-module function (GOT.func Py_GetVersion) and of a main-module datum (GOT.mem
// _Py_NoneStruct), each returned by an exported function.
const leb = (n) => {
  const out = [];
  do { const b = n & 127; n >>>= 7; out.push(n ? b | 128 : b); } while (n);
  return out;
};
const str = (s) => [...leb(s.length), ...Buffer.from(s)];
const section = (id, body) => [id, ...leb(body.length), ...body];
const side = Uint8Array.from([0, 97, 115, 109, 1, 0, 0, 0,
  ...section(0, [...str("dylink.0"), 1, 4, 0, 0, 0, 0]),
  ...section(1, [1, 0x60, 0, 1, 0x7f]),
  ...section(2, [2, ...str("GOT.func"), ...str("Py_GetVersion"), 3, 0x7f, 1,
                 ...str("GOT.mem"), ...str("_Py_NoneStruct"), 3, 0x7f, 1]),
  ...section(3, [2, 0, 0]),
  ...section(7, [2, ...str("version"), 0, 0, ...str("none"), 0, 1]),
  ...section(10, [2, 4, 0, 0x23, 0, 0x0b, 4, 0, 0x23, 1, 0x0b])]);

const { loadPyodide } = await import(dir + "/pyodide.mjs");
const pyodide = await loadPyodide({ indexURL: dir + "/", stdLibURL: stdlib, stdout: () => {}, stderr: () => {} });
const M = pyodide._module;
// The main module's own GOT.func imports, before any side module: each a slot holding a wasm
// function with as many parameters as the JavaScript function's signature.
const wasm = new WebAssembly.Module(readFileSync(dir + "/pyodide.asm.wasm"));
const imported = WebAssembly.Module.imports(wasm).filter((i) => i.module === "GOT.func").map((i) => i.name);
const arity = imported.map((name) => [name, M.wasmTable.get(M.GOT[name].value).length]);
const linked = M.loadWebAssemblyModule(side, { loadAsync: false, nodelete: true }, "fangshan-test.so", {});
console.log(JSON.stringify({
  arity,
  got: Object.keys(M.GOT).length,
  version: M.UTF8ToString(M.wasmTable.get(linked.version())()) === pyodide.runPython("import sys; sys.version"),
  none: linked.none() === pyodide.runPython("id(None)"),
  answer: pyodide.runPython("sum(range(10))"),
}));
