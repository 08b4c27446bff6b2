/**
 * Renders deploy/alertmanager/alertmanager.yml.template with the ministry's SMTP settings from the environment
 * (`npm run --silent alertmanager:config > alertmanager.yml`). Refuses, naming each variable, while a required one
 * is missing or malformed; the SMTP password comes from SMTP_AUTH_PASSWORD_FILE and is never echoed in an error.
 *
 *   SMTP_SMARTHOST          host:port of the ministry's SMTP server (required)
 *   SMTP_FROM               sender address (required)
 *   ALERT_EMAIL_TO          operators' address(es), comma-separated (required)
 *   SMTP_AUTH_USERNAME      SMTP user (optional), SMTP_AUTH_PASSWORD_FILE: file holding its password
 *   SMTP_REQUIRE_TLS        STARTTLS required (default true)
 *   SMTP_HELLO              EHLO name (default korpu)
 *   ALERT_GROUP_WAIT / ALERT_GROUP_INTERVAL / ALERT_REPEAT_INTERVAL   Alertmanager durations (30s / 5m / 4h)
 *   ALERTMANAGER_TEMPLATES_DIR   where korpu-email.tmpl is (default deploy/alertmanager of this checkout)
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Env, EnvReader } from '@korpu/config';

const DEPLOY_DIR = path.resolve(__dirname, '../deploy/alertmanager');
const DURATION = /^\d+(ms|s|m|h|d)$/;
const ADDRESS = /^[^\s@'"]+@[^\s@'"]+$/;

export function renderAlertmanagerConfig(env: Env, template = fs.readFileSync(path.join(DEPLOY_DIR, 'alertmanager.yml.template'), 'utf8')): string {
  const reader = new EnvReader(env);
  const smarthost = reader.required('SMTP_SMARTHOST');
  if (smarthost && !/^[A-Za-z0-9.-]+:\d{1,5}$/.test(smarthost)) reader.problem('SMTP_SMARTHOST must be host:port');
  const from = reader.required('SMTP_FROM');
  if (from && !ADDRESS.test(from)) reader.problem('SMTP_FROM must be an e-mail address');
  const to = reader.required('ALERT_EMAIL_TO');
  if (to && !to.split(',').every((address) => ADDRESS.test(address.trim()))) reader.problem('ALERT_EMAIL_TO must be e-mail addresses, comma-separated');
  const passwordFile = reader.string('SMTP_AUTH_PASSWORD_FILE');
  let password = '';
  if (passwordFile) {
    try {
      password = fs.readFileSync(passwordFile, 'utf8').trim();
    } catch {
      reader.problem('SMTP_AUTH_PASSWORD_FILE cannot be read');
    }
  }
  const duration = (name: string, fallback: string) => {
    const value = reader.string(name, fallback);
    if (!DURATION.test(value)) reader.problem(`${name} must be a duration such as 30s, 5m or 4h`);
    return value;
  };
  const values: Record<string, string> = {
    SMTP_SMARTHOST: smarthost,
    SMTP_FROM: from,
    ALERT_EMAIL_TO: to,
    SMTP_HELLO: reader.string('SMTP_HELLO', 'korpu'),
    SMTP_AUTH_USERNAME: reader.string('SMTP_AUTH_USERNAME', ''),
    SMTP_AUTH_PASSWORD: password,
    SMTP_REQUIRE_TLS: String(reader.bool('SMTP_REQUIRE_TLS', true)),
    ALERT_GROUP_WAIT: duration('ALERT_GROUP_WAIT', '30s'),
    ALERT_GROUP_INTERVAL: duration('ALERT_GROUP_INTERVAL', '5m'),
    ALERT_REPEAT_INTERVAL: duration('ALERT_REPEAT_INTERVAL', '4h'),
    ALERTMANAGER_TEMPLATES_DIR: reader.string('ALERTMANAGER_TEMPLATES_DIR', DEPLOY_DIR),
  };
  reader.done();
  // Values go into single-quoted YAML scalars: a quote is doubled, so no value can end its scalar.
  return template.replace(/\$\{([A-Z_]+)\}/g, (_match, name: string) => {
    if (!(name in values)) throw new Error(`the template names an unknown variable ${name}`);
    return values[name].replace(/'/g, "''");
  });
}

if (require.main === module) {
  try {
    process.stdout.write(renderAlertmanagerConfig(process.env));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
  }
}
