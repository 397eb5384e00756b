"""Workaround, for the pinned Pyodide only: its glue links side modules that this site never loads,
and drops a trap in Python's own start-up.

``pyodide.asm.mjs`` is emscripten's ``MAIN_MODULE`` glue. Once the wasm is instantiated,
``receiveInstance`` prepares the dynamic linking of side modules (a package's ``.so``) at every
start, fresh or from the start-up image:

- ``updateGOT(origExports)`` puts every export of the main module into the global offset table
  (GOT) that side modules link against: about 8,550 ``new WebAssembly.Global``s and, for each
  exported function, a table slot (``addFunction``: the first call maps the whole table of 8,711
  functions, ``getFunctionAddress``; then about 5,200 ``table.grow(1)``);
- ``loadDylibs()`` loads no library (there are none) and calls ``reportUndefinedSymbols``, which
  resolves the main module's own 280 ``GOT.func`` imports (the addresses of 274 WebGL and six
  console functions, all JavaScript): one table slot each, holding a wasm wrapper that
  ``convertJsFunctionToWasm`` compiles as one module per function, after a ``TypeError`` from
  trying the plain function first.

What the edits change, in the trimmed runtime's copy only (``wasm_trim.GLUE``):

1. ``updateGOT(origExports)`` is deferred to the first side module (``loadWebAssemblyModule``,
   which ``dlopen``, Pyodide's package loader and the ``.so`` preload plugin all go through).
   Nothing else reads the GOT (the main module imports only those 280 entries, none of them an
   export), so a side module would still link exactly as before; here none is ever loaded.
2. The main module's 280 ``GOT.func`` imports are resolved as ``reportUndefinedSymbols`` resolves
   them, to the same functions with the same signatures and in the same order, but their wrappers
   come from one module instead of 280.
3. No table map is built at start-up. It serves ``addFunction`` to find a function already in the
   table; at start-up there is none to find: a JavaScript function can never be a table entry
   (only its wrapper can), and Pyodide's call trampoline is a new wasm function. The map is built
   when something first asks for it, with the addresses given out before entered then
   (``getFunctionAddress``), and ``removeFunction`` copes with its absence.

4. A trap in Python's own start-up (emscripten's ``callMain``, running Python's ``main``) is kept
   as ``Module.fangshanStartupError``. Stock emscripten catches it there and throws it again from
   its start-up task, where nothing awaits it: ``loadPyodide`` still returns, with an interpreter
   half set up that may even answer (stubbing ``PyDict_Watch``, called near the end of Python's
   start-up, does just that; ``tests/test_wasm_trim_browser.py``), and the trap surfaces only as
   an unhandled rejection, in Chromium after the start has returned. The worker's ``boot()``
   throws the kept trap, so that the worker starts again on the full wasm and never answers from
   such a runtime.

Why it is safe: the main module's imports get the same values as before, and nothing else changes
but the numbering of table slots added at start-up (about 9,000 instead of 14,200). A start-up
image records such numbers (Pyodide's call trampoline's slot is in the runtime's memory), so an
image must be restored by the glue that took it: the trimmed runtime's URL hashes its glue too
(``pyodide_runtime.runtime_config``), so a new glue never meets an old image. The full runtime
(the fallback after a trap, ``fullIndexURL``) keeps the stock glue: it is the safety net, and it
sits at a path named by the version only. The build checks the trimmed runtime, with this glue,
against CPython, fresh and from its own image (``wasm_trim.make_trimmed``); its profile runs the
fallback as it ships, with the stock glue: the edited glue calls no wasm function the stock one
does not (the trimmed wasm comes out byte for byte the same under either), and if an edit ever
did, the trimmed runtime's check would trap in the build. The parity and browser tests run it.

Measured in headless Chromium 156 on the 2-core build machine (issue 18; stock and edited glue in
the same built site, interleaved, 12 visits each, cold and warm): receiveInstance takes 100 ms
instead of 227 ms on a first visit and 82 ms instead of 166 ms on a later one (medians; every
paired run faster, by 16–302 ms); in a CPU-profiled Chromium trace, 116 ms instead of 354 ms and
98 ms instead of 269 ms, the GOT (85–92 ms), reportUndefinedSymbols' 280 wrapper modules and table
map (68–127 ms) gone. A later visit's first result comes 36–147 ms sooner (medians of two series);
a first visit's does not measurably (±0.3 s of noise; the page, and Material's search worker
building its index, compete for the two cores then, and probably take the time freed).

The build fails (``GlueError``, one line) when the npm file is not the one these edits were
written for (its SHA-256), or an edit's text is not found exactly once: re-check
``receiveInstance``, ``reportUndefinedSymbols`` and ``getPyEMTrampolinePtr`` in the new release.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

GLUE = "pyodide.asm.mjs"
SHA256 = "f7cdc8ece80678ceb712f8e65ebe6d3a83203a180c399865f49612a051693635"  # Pyodide 314.0.7's


class GlueError(ValueError):
    """The npm glue is not the file these edits were written for."""


# Inserted before emscripten's updateGOT, in the same scope as everything it uses.
_HELPERS = r"""
// fangshan workaround (sitebuild/glue_patches.py): the main module links only itself at start-up.
// The main module's exports, entered into the GOT when the first side module is loaded.
var fangshanMainExports;
var fangshanBeforeSideModule=()=>{
  if(!fangshanMainExports){return}
  var exports=fangshanMainExports;
  fangshanMainExports=undefined;
  updateGOT(exports)
};
// Addresses given to JavaScript functions before functionsInTableMap was built: entered then.
var fangshanAddresses=[];
// Wasm functions calling each JavaScript function with its .sig, from one module (as
// convertJsFunctionToWasm makes them, one module each). A wasm function comes back as itself.
var fangshanWrap=funcs=>{
  var leb=(out,n)=>{do{var byte=n&127;n>>>=7;out.push(n?byte|128:byte)}while(n)};
  var name=(out,text)=>{leb(out,text.length);for(var c of text)out.push(c.charCodeAt(0))};
  var section=(out,id,body)=>{out.push(id);leb(out,body.length);for(var b of body)out.push(b)};
  var types=[],imports=[],exports=[],typeIndex=new Map;
  leb(imports,funcs.length);
  leb(exports,funcs.length);
  funcs.forEach((func,i)=>{
    var sig=func.sig,type=typeIndex.get(sig);
    if(type===undefined){
      typeIndex.set(sig,type=typeIndex.size);
      types.push(96);
      leb(types,sig.length-1);
      for(var c of sig.slice(1))types.push(wasmTypeCodes[c]);
      if(sig[0]==="v"){types.push(0)}else{types.push(1,wasmTypeCodes[sig[0]])}
    }
    name(imports,"e");name(imports,String(i));imports.push(0);leb(imports,type);
    name(exports,String(i));exports.push(0);leb(exports,i)
  });
  var typeSection=[];
  leb(typeSection,typeIndex.size);
  var bytes=[0,97,115,109,1,0,0,0];
  section(bytes,1,typeSection.concat(types));
  section(bytes,2,imports);
  section(bytes,7,exports);
  var module=new WebAssembly.Module(new Uint8Array(bytes));
  var instance=new WebAssembly.Instance(module,{e:Object.fromEntries(funcs.map((f,i)=>[i,f]))});
  return funcs.map((func,i)=>instance.exports[i])
};
// reportUndefinedSymbols for the main module's own imports (the GOT holds nothing else yet).
var fangshanLinkMain=()=>{
  if(dynamicLibraries.length){fangshanBeforeSideModule();loadDylibs();return}
  var pending=new Map;
  for(var[symName,entry]of Object.entries(GOT)){
    if(entry.value!=-1){continue}
    var value=resolveGlobalSymbol(symName,true).sym;
    if(!value&&!entry.required){entry.value=0;continue}
    if(!value){throw new Error(`Dynamic linking error: undefined symbol '${symName}'`)}
    if(typeof value=="function"){
      // No map yet: nothing was added to the table, so a JavaScript function is not in it.
      var known=functionsInTableMap?getFunctionAddress(value):0;
      if(known){entry.value=known}
      else if(typeof value.sig!="string"){entry.value=addFunction(value,value.sig)}
      else{if(!pending.has(value))pending.set(value,[]);pending.get(value).push(entry)}
    }else if(typeof value=="number"){entry.value=value}
    else if(typeof value.value=="number"){entry.value=value}
    else{throw new Error(`bad export type for '${symName}': ${typeof value} (${value})`)}
  }
  if(!pending.size){return}
  var funcs=[...pending.keys()],wrapped=[];
  try{wrapped=fangshanWrap(funcs)}catch{}  // then one by one, as reportUndefinedSymbols does
  funcs.forEach((func,i)=>{
    var slot;
    if(!wrapped[i]||wrapped[i]===func){slot=addFunction(func,func.sig)}
    else{
      slot=getEmptyTableSlot();
      setWasmTableEntry(slot,wrapped[i]);
      if(functionsInTableMap){functionsInTableMap.set(func,slot)}
      else{fangshanAddresses.push([func,slot])}
    }
    for(var entry of pending.get(func)){entry.value=slot}
  })
};
// addFunction for a wasm function that cannot be in the table yet (a new instance's).
var fangshanAddNew=func=>{
  var slot=getEmptyTableSlot();
  setWasmTableEntry(slot,func);
  functionsInTableMap?.set(func,slot);
  return slot
};
"""


@dataclass(frozen=True)
class Edit:
    label: str
    old: str
    new: str


EDITS = (
    Edit("the helpers, before updateGOT", "var updateGOT=(exports,replace)=>{",
         _HELPERS + "var updateGOT=(exports,replace)=>{"),
    Edit("receiveInstance: GOT deferred, the main module linked by fangshanLinkMain",
         "assignWasmExports(wasmExports);updateGOT(origExports);LDSO.init();loadDylibs();",
         "assignWasmExports(wasmExports);fangshanMainExports=origExports;LDSO.init();"
         "fangshanLinkMain();"),
    Edit("loadWebAssemblyModule: the GOT entered before a side module links",
         "var loadWebAssemblyModule=(binary,flags,libName,localScope,handle)=>{",
         "var loadWebAssemblyModule=(binary,flags,libName,localScope,handle)=>{"
         "fangshanBeforeSideModule();"),
    Edit("getFunctionAddress: the addresses given out before the map was built",
         "functionsInTableMap=new WeakMap;updateTableMap(0,wasmTable.length)}",
         "functionsInTableMap=new WeakMap;updateTableMap(0,wasmTable.length);"
         "for(var[known,slot]of fangshanAddresses)functionsInTableMap.set(known,slot);"
         "fangshanAddresses=[]}"),
    Edit("removeFunction: no map yet", "var removeFunction=index=>{functionsInTableMap.delete(",
         "var removeFunction=index=>{functionsInTableMap?.delete("),
    Edit("getPyEMTrampolinePtr: the trampoline is a new function",
         "return addFunction(trampolineInstance.exports.trampoline_call)}",
         "return fangshanAddNew(trampolineInstance.exports.trampoline_call)}"),
    Edit("callMain: a trap in Python's start-up kept for the worker's boot()",
         "try{var ret=entryFunction(argc,argv);exitJS(ret,true);return ret}"
         "catch(e){return handleException(e)}",
         "try{var ret=entryFunction(argc,argv);exitJS(ret,true);return ret}"
         "catch(e){if(!(e instanceof ExitStatus||e==\"unwind\"))Module.fangshanStartupError=e;"
         "return handleException(e)}"),
)

_RECHECK = ("re-check receiveInstance, reportUndefinedSymbols and getPyEMTrampolinePtr in the new "
            "release and update sitebuild/glue_patches.py")


def patched(data: bytes, path: Path | str = GLUE) -> bytes:
    """The pinned glue with the edits applied; GlueError (one line, naming ``path``) otherwise."""
    digest = hashlib.sha256(data).hexdigest()
    if digest != SHA256:
        raise GlueError(f"{path} is not the file sitebuild/glue_patches.py edits (SHA-256 "
                        f"{digest[:12]}…, expected {SHA256[:12]}…): {_RECHECK}")
    text = data.decode("utf-8")
    if "fangshan" in text:
        raise GlueError(f"{path} already names fangshan's helpers: {_RECHECK}")
    at = []
    for edit in EDITS:  # each found in the npm text, not in an earlier edit's
        found = text.count(edit.old)
        if found != 1:
            raise GlueError(f"{path}: the edit “{edit.label}” of sitebuild/glue_patches.py finds "
                            f"its text {found} times, not once: {_RECHECK}")
        at.append((text.index(edit.old), edit))
    for start, edit in sorted(at, key=lambda item: item[0], reverse=True):
        text = text[:start] + edit.new + text[start + len(edit.old):]
    return text.encode("utf-8")


def write_patched(npm_dir: Path, out_dir: Path) -> None:
    """``out_dir/pyodide.asm.mjs``: the npm package's glue, edited."""
    source = npm_dir / GLUE
    (out_dir / GLUE).write_bytes(patched(source.read_bytes(), source))
