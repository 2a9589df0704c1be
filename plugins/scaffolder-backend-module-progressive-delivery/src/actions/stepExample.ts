import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { JsonObject } from '@backstage/types';
import yaml from 'yaml';

/** A documented example: a template whose one step runs an action of this module. */
export function stepExample(example: {
  description: string;
  id: string;
  action: string;
  name: string;
  input: JsonObject;
}): TemplateExample {
  const { description, ...step } = example;
  return { description, example: yaml.stringify({ steps: [step] }) };
}
