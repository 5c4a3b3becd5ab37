/**
 * Parameter building blocks shared by actions. Identifiers use strict
 * regexes (no spaces, quotes, `;`, `$`, newlines, leading `-`), so a hostile
 * value is refused when the playbook loads. A value may instead be a whole
 * placeholder, `{{incident.service}}` or `{{suspect.deploymentId}}`,
 * substituted when the step runs and then checked against the same regex.
 */
import { z } from 'zod';
import type { Incident } from '../../domain/index.js';
import { VigilError } from '../../domain/errors.js';

const PLACEHOLDERS = {
  '{{incident.service}}': (i: Incident) => i.service,
  '{{incident.id}}': (i: Incident) => i.id,
  '{{suspect.deploymentId}}': (i: Incident) => i.suspect?.deploymentId ?? null,
  /** The id the deploy system itself uses: Vigil's source prefix removed (codedeploy-d-ABC -> d-ABC). */
  '{{suspect.nativeId}}': (i: Incident) => i.suspect?.deploymentId.replace(/^(codedeploy|github|argocd)-/, '') ?? null,
} as const;

type Placeholder = keyof typeof PLACEHOLDERS;
export const isPlaceholder = (v: string): v is Placeholder => Object.hasOwn(PLACEHOLDERS, v);

/**
 * A name matching `re` (at most `max` characters) or a placeholder resolved at run time.
 * `label` says what the name is, for people reading the action (errors name the field by path).
 */
export function ident(re: RegExp, label: string, max = 128) {
  return z
    .string()
    .max(max, { message: `at most ${max} characters` })
    .refine((v) => isPlaceholder(v) || re.test(v), {
      message: `must match ${re.source} (or be a placeholder such as {{incident.service}})`,
    })
    .describe(label);
}

export const AWS_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,254}$/;
export const K8S_NAME = /^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/;
export const K8S_NS = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** Replaces whole-value placeholders anywhere in `params` (incident data becomes plain data, never syntax). */
export function resolvePlaceholders(params: unknown, incident: Incident): unknown {
  if (typeof params === 'string') {
    if (!isPlaceholder(params)) return params;
    const value = PLACEHOLDERS[params](incident);
    if (value === null)
      throw new VigilError('E_REMEDIATION_PARAMS', `${params} has no value for incident ${incident.id}`);
    return value;
  }
  if (Array.isArray(params)) return params.map((p) => resolvePlaceholders(p, incident));
  if (params && typeof params === 'object') {
    return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, resolvePlaceholders(v, incident)]));
  }
  return params;
}

/** True when a resolved value still is (or came in as) placeholder text: refused rather than used. */
export function hasPlaceholder(params: unknown): boolean {
  if (typeof params === 'string') return isPlaceholder(params);
  if (Array.isArray(params)) return params.some(hasPlaceholder);
  if (params && typeof params === 'object') return Object.values(params).some(hasPlaceholder);
  return false;
}

/** Deterministic UUID-shaped token from a string (AWS ClientToken needs the UUID form). */
export { uuidFrom } from './uuid.js';
