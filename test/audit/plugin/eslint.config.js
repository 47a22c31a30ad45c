// eslint.config.js
import tseslint from "typescript-eslint";
import supervise from "supervise/eslint-plugin";

const services = ["services/**/*.{ts,mts,js,mjs}"];

export default [
  {
    files: services,
    languageOptions: {
      parser: tseslint.parser,
      // Type information, for the rules that need it (floating-work).
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
  },
  { files: services, ...supervise.configs.recommended },
];
