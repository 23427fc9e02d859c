// Where a worker's entry file is. From source (tsx, tests, CLI) it is the .ts beside this
// file; in the bundled desktop app electron-vite emits each entry as out/main/workers/<name>.js
// (this code may itself sit in out/main or in out/main/chunks).
export function workerEntry(name: string): URL {
  const here = import.meta.url;
  if (here.endsWith('.ts')) return new URL(`./${name}.ts`, here);
  return new URL(`${here.includes('/chunks/') ? '../' : './'}workers/${name}.js`, here);
}
