/**
 * Schema validation throughput: `node -r @swc-node/register bench/schemas.bench.ts`.
 * For a ~1 KB and a ~100 KB message of each format, validates through SchemaRegistry and, in the same run, with
 * the raw validator underneath (Ajv 2020 compiled from the same file; libxml2-wasm parse + XSD validate + dispose),
 * and prints validations/s, p50/p99 latency, RSS and the registry/raw throughput ratio.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { loadLibxml2, PERSONAL_KEYWORD, SchemaRegistry, schemaSamples } from '@korpu/schemas';
import { BenchCase, reportCases } from './support/cases';

const SCHEMAS_DIR = path.join(__dirname, '..', 'schemas');
const BUDGET_MS = Number(process.argv[2] ?? 1000);
/** Registry and raw runs alternate for this many rounds; the median round is reported (the machine is shared). */
const ROUNDS = Number(process.argv[3] ?? 3);

interface Result {
  name: string;
  ops: number;
  p50: number;
  p99: number;
  rssMb: number;
}

function measure(name: string, run: () => void): Result {
  const warmupEnd = performance.now() + Math.min(300, BUDGET_MS / 4);
  while (performance.now() < warmupEnd) run();
  global.gc?.();
  const latencies: number[] = [];
  const started = performance.now();
  const end = started + BUDGET_MS;
  let now = started;
  while (now < end) {
    const t0 = performance.now();
    run();
    now = performance.now();
    latencies.push(now - t0);
  }
  const elapsed = now - started;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  return {
    name,
    ops: (latencies.length / elapsed) * 1000,
    p50: at(0.5),
    p99: at(0.99),
    rssMb: process.memoryUsage().rss / 2 ** 20,
  };
}

/** Alternates the two runs ROUNDS times and keeps, for each, the round with the median throughput. */
function pair(a: [string, () => void], b: [string, () => void]): [Result, Result] {
  const as: Result[] = [];
  const bs: Result[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    as.push(measure(...a));
    bs.push(measure(...b));
  }
  const median = (rs: Result[]) => [...rs].sort((x, y) => x.ops - y.ops)[Math.floor(rs.length / 2)];
  return [median(as), median(bs)];
}

function row(r: Result): string {
  return `${r.name.padEnd(44)} ${r.ops.toFixed(0).padStart(9)} /s   p50 ${(r.p50 * 1000).toFixed(1).padStart(8)} µs   p99 ${(r.p99 * 1000).toFixed(1).padStart(8)} µs   RSS ${r.rssMb.toFixed(0).padStart(4)} MB`;
}

async function main(): Promise<void> {
  const rssAtStartMb = process.memoryUsage().rss / 2 ** 20;
  const registry = await SchemaRegistry.load({ directory: SCHEMAS_DIR });
  const rssLoadedMb = process.memoryUsage().rss / 2 ** 20;
  const { XmlDocument, XsdValidator, ParseOption } = await loadLibxml2();

  const ajv = new Ajv2020({ strict: true, allowUnionTypes: true });
  addFormats(ajv);
  // The schemas mark personal data with this annotation keyword (as the registry's own Ajv knows it); strict Ajv needs it declared.
  ajv.addKeyword({ keyword: PERSONAL_KEYWORD, schemaType: 'boolean' });
  const rawAjv = ajv.compile(
    JSON.parse(readFileSync(path.join(SCHEMAS_DIR, 'social-benefit-eligibility-reply/v1.schema.json'), 'utf8')),
  );
  const xsdDoc = XmlDocument.fromString(
    readFileSync(path.join(SCHEMAS_DIR, 'pension-entitlement-reply/v1.xsd'), 'utf8'),
  );
  const rawXsd = XsdValidator.fromDoc(xsdDoc);
  xsdDoc.dispose();
  const parseOption = ParseOption.XML_PARSE_NONET | ParseOption.XML_PARSE_NO_XXE | ParseOption.XML_PARSE_NOWARNING;

  console.log(
    `RSS ${rssAtStartMb.toFixed(0)} MB before loading the registry, ${rssLoadedMb.toFixed(0)} MB after (11 types, libxml2-wasm instantiated)`,
  );
  console.log(
    `node ${process.version}, ${BUDGET_MS} ms per run, ${ROUNDS} alternating rounds (median shown), single thread`,
  );
  const ratios: string[] = [];
  const cases: BenchCase[] = [];
  const benchCase = (name: string, r: Result, baseline?: string, note?: string): BenchCase => ({
    name,
    opsPerSec: r.ops,
    p50Ms: r.p50,
    p99Ms: r.p99,
    errors: 0,
    ...(baseline ? { baseline } : {}),
    ...(note ? { note } : {}),
  });
  for (const kb of [1, 100]) {
    const jsonRepeats = schemaSamples.repeatsForSize((n) => schemaSamples.socialBenefitEligibilityReply(n), kb * 1024);
    const json = schemaSamples.socialBenefitEligibilityReply(jsonRepeats);
    const jsonBytes = Buffer.byteLength(JSON.stringify(json));
    const xmlRepeats = schemaSamples.repeatsForSize((n) => schemaSamples.pensionEntitlementReplyXml(n), kb * 1024);
    const xml = schemaSamples.pensionEntitlementReplyXml(xmlRepeats);
    const xmlBytes = Buffer.byteLength(xml);

    if (!rawAjv(json)) throw new Error('sample JSON is invalid');
    const [viaRegistryJson, rawJson] = pair(
      [`json ${jsonBytes} B  registry`, () => void registry.validate('social-benefit-eligibility-reply', 1, json)],
      [
        `json ${jsonBytes} B  raw Ajv`,
        () => {
          if (!rawAjv(json)) throw new Error('invalid');
        },
      ],
    );
    const [viaRegistryXml, rawXml] = pair(
      [`xml  ${xmlBytes} B  registry`, () => void registry.validate('pension-entitlement-reply', 1, xml)],
      [
        `xml  ${xmlBytes} B  raw libxml2-wasm`,
        () => {
          const doc = XmlDocument.fromString(xml, { option: parseOption });
          try {
            rawXsd.validate(doc);
          } finally {
            doc.dispose();
          }
        },
      ],
    );
    for (const r of [viaRegistryJson, rawJson, viaRegistryXml, rawXml]) console.log(row(r));
    cases.push(
      benchCase(`schema-json-${kb}kb-raw`, rawJson, undefined, `raw Ajv 2020, ${jsonBytes} B`),
      benchCase(`schema-json-${kb}kb`, viaRegistryJson, `schema-json-${kb}kb-raw`, `SchemaRegistry, ${jsonBytes} B`),
      benchCase(`schema-xml-${kb}kb-raw`, rawXml, undefined, `raw libxml2-wasm parse + XSD, ${xmlBytes} B`),
      benchCase(`schema-xml-${kb}kb`, viaRegistryXml, `schema-xml-${kb}kb-raw`, `SchemaRegistry, ${xmlBytes} B`),
    );
    ratios.push(
      `~${kb} KB: registry/raw throughput json ${(viaRegistryJson.ops / rawJson.ops).toFixed(2)}, xml ${(viaRegistryXml.ops / rawXml.ops).toFixed(2)}`,
    );
  }
  for (const line of ratios) console.log(line);
  reportCases(cases);
  rawXsd.dispose();
  registry.dispose();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
