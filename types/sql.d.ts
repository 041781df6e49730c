// SQL files are imported as text: esbuild's text loader in the Lambda bundle,
// a jest transform in tests (test/sqlTransform.js), a require hook in the local CLI (bin/register.js).
declare module '*.sql' {
  const text: string;
  export default text;
}
