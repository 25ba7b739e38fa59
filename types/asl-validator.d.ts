// asl-validator ships no types: the part of its API the project uses.
declare module 'asl-validator' {
  interface ValidationOptions {
    checkPaths?: boolean;
    checkArn?: boolean;
  }
  interface ValidationResult {
    isValid: boolean;
    errors: { message?: string }[];
    errorsText(separator?: string): string;
  }
  function aslValidator(definition: unknown, options?: ValidationOptions): ValidationResult;
  export default aslValidator;
}
