/**
 * `${VAR}` substitution in spec strings, with shell semantics for `${VAR:-default}` (the default
 * applies when the variable is unset or empty). `$${` writes a literal `${`.
 */

export type Environment = Readonly<Record<string, string | undefined>>;

export class InterpolationError extends Error {
  override name = "InterpolationError";
}

const REFERENCE = /\$\$\{|\$\{([^}]*)\}|\$\{/g;
const VARIABLE = /^([A-Za-z_][A-Za-z0-9_]*)(?::-(.*))?$/s;

/** Returns `text` with every reference replaced; throws an `InterpolationError` naming the variable. */
export function interpolate(text: string, env: Environment): string {
  return text.replace(REFERENCE, (match, inner: string | undefined) => {
    if (match === "$${") return "${";
    if (inner === undefined) {
      throw new InterpolationError(
        `unclosed "\${" in ${JSON.stringify(text)}; write \${NAME}, or $\${ for a literal \${`,
      );
    }
    const variable = VARIABLE.exec(inner);
    if (!variable) {
      throw new InterpolationError(
        `"\${${inner}}" is not a variable reference; use \${NAME} or \${NAME:-default} with NAME of letters, digits and _`,
      );
    }
    const [, name, fallback] = variable;
    const value = env[name!];
    if (value !== undefined && value !== "") return value;
    if (fallback !== undefined) return fallback;
    throw new InterpolationError(
      `environment variable ${name} is not set; set it or give a default: \${${name}:-value}`,
    );
  });
}
