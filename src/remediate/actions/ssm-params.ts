/** Document names and parameters for the SSM actions: fixed documents, plain-data values. */
import { z } from 'zod';
import { isPlaceholder } from './params.js';

/** Shell documents take their parameters as code; a playbook must name a fixed document instead. */
const SHELL_DOCUMENTS = new Set(['AWS-RunShellScript', 'AWS-RunPowerShellScript', 'AWS-RunRemoteScript']);

export const documentName = z
  .string()
  .regex(/^[A-Za-z0-9_.:/-]{3,128}$/, { message: 'letters, digits and _ . - : / (3-128)' })
  .refine((d) => !SHELL_DOCUMENTS.has(d), {
    message: 'shell documents are refused (their parameters are code); name a fixed document',
  });

/** Values are data for the document, never commands: one line, no shell metacharacters needed. */
export const documentParameters = z
  .record(
    z.string().regex(/^[A-Za-z0-9_]{1,64}$/, { message: 'a parameter name (letters, digits, _)' }),
    z
      .array(
        z
          .string()
          .max(512)
          .refine((v) => isPlaceholder(v) || /^[^\n\r\0;`$|&<>]*$/.test(v), {
            message: 'a single line without ; ` $ | & < >',
          }),
      )
      .max(20),
  )
  .default({});
