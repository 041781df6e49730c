// SQL files are imported as text: esbuild's text loader in the Lambda bundle,
// a jest transform in tests, a require hook in the local CLI (bin/run-ts.js).
declare module '*.sql' {
  const text: string;
  export default text;
}
