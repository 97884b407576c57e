/**
 * Reads a small JSON object body: an empty body is `{}`; anything that is not
 * a JSON object, or is larger than `maxBytes`, is a UserError saying so.
 */
import { UserError } from "../errors.ts";

export async function readJsonObject(
  req: Request,
  maxBytes = 16 * 1024,
): Promise<Record<string, unknown>> {
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw new UserError(`the body is over ${maxBytes} bytes; send less`);
  const text = await req.text();
  if (new TextEncoder().encode(text).byteLength > maxBytes) {
    throw new UserError(`the body is over ${maxBytes} bytes; send less`);
  }
  if (text.trim() === "") return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UserError('the body is not valid JSON; send e.g. {"title": "Algebra 101"}');
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new UserError('the body must be a JSON object, e.g. {"title": "Algebra 101"}');
  }
  return value as Record<string, unknown>;
}

/** An optional string field; UserError when present with another type. */
export function optionalString(body: Record<string, unknown>, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw new UserError(`"${field}" must be a string`);
  return value;
}
