// asl-validator ships no type declarations; this is the part of its API the tests use.
declare module 'asl-validator' {
  interface ValidationResult {
    isValid: boolean;
    errorsText(separator?: string): string;
  }
  /** Validates an Amazon States Language definition (it adds QueryLanguage to every state: pass a copy). */
  function validator(definition: unknown, options?: { checkPaths?: boolean; checkArn?: boolean }): ValidationResult;
  export = validator;
}
