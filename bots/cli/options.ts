/**
 * What an operator needs to hear from `node:util` `parseArgs`' refusal: "unknown option --loud", not the whole
 * error with its hint about positionals.
 */
export function optionProblem(error: unknown): string {
  const { code, message } = error as { code?: string; message?: string };
  const option = /'(-{1,2}[^']*)'/u.exec(message ?? '')?.[1] ?? '';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown option ${option}`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') return `${option.split(' ')[0]} needs a value`;
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return `unexpected argument ${option}`;
  return message ?? String(error);
}
