/**
 * Valid sample payloads of the shipped message types, for specs, the benchmark and other capabilities' tests.
 * Each returns a fresh value; sizes are steered by the number of repeated entries.
 */

const PENSION_NS = 'urn:korpu:pension:entitlement';

export function pensionEntitlementRequestXml(options: { fin?: string; includePaymentHistory?: boolean } = {}): string {
  const fin = options.fin ?? '5ZJBKQ2';
  const extra =
    options.includePaymentHistory === undefined
      ? ''
      : `<p:IncludePaymentHistory>${options.includePaymentHistory}</p:IncludePaymentHistory>`;
  return (
    `<p:GetPensionEntitlementRequest xmlns:p="${PENSION_NS}">` +
    `<p:Fin>${fin}</p:Fin><p:AsOfDate>2025-06-30</p:AsOfDate>` +
    `<p:RequestingAgencyCode>DOST</p:RequestingAgencyCode><p:PurposeCode>BENEFIT_ELIGIBILITY</p:PurposeCode>${extra}` +
    `</p:GetPensionEntitlementRequest>`
  );
}

/** pension-entitlement-reply v1 with `payments` monthly payments (about 110 bytes each). */
export function pensionEntitlementReplyXml(payments: number): string {
  const rows: string[] = [];
  for (let i = 0; i < payments; i++) {
    const year = 2025 - Math.floor(i / 12);
    const month = String(12 - (i % 12)).padStart(2, '0');
    rows.push(
      `<p:Payment><p:Period>${year}-${month}</p:Period><p:Amount>412.50</p:Amount><p:PaidOn>${year}-${month}-05</p:PaidOn></p:Payment>`,
    );
  }
  return (
    `<p:GetPensionEntitlementResponse xmlns:p="${PENSION_NS}">` +
    `<p:Fin>5ZJBKQ2</p:Fin><p:Entitled>true</p:Entitled><p:PensionKind>AGE</p:PensionKind>` +
    `<p:MonthlyAmount>412.50</p:MonthlyAmount><p:AssignedOn>2019-03-01</p:AssignedOn>` +
    (payments > 0 ? `<p:PaymentHistory>${rows.join('')}</p:PaymentHistory>` : '') +
    `</p:GetPensionEntitlementResponse>`
  );
}

/** social-benefit-eligibility-reply v1 with `payments` entries of payment history (about 100 bytes each as JSON). */
export function socialBenefitEligibilityReply(payments: number): Record<string, unknown> {
  const paymentHistory = [];
  for (let i = 0; i < payments; i++) {
    const year = 2025 - Math.floor(i / 12);
    const month = String(12 - (i % 12)).padStart(2, '0');
    paymentHistory.push({
      period: `${year}-${month}`,
      amount: { amount: 245.3, currency: 'AZN' },
      paidOn: `${year}-${month}-10`,
      reference: `TSA-${year}${month}-${i}`,
    });
  }
  return {
    fin: '5ZJBKQ2',
    benefitCode: 'TARGETED_SOCIAL_ASSISTANCE',
    eligible: true,
    assessedAt: '2025-06-30T09:15:00Z',
    monthlyAmount: { amount: 245.3, currency: 'AZN' },
    reasons: [
      { code: 'INCOME_BELOW_THRESHOLD', description: 'Average monthly income per member is below the threshold.' },
    ],
    householdMembers: [
      { fin: '5ZJBKQ2', relation: 'APPLICANT', monthlyIncome: { amount: 120, currency: 'AZN' } },
      { fin: '7PLM3RT', relation: 'CHILD' },
    ],
    ...(payments > 0 ? { paymentHistory } : {}),
  };
}

export function employmentContractNotification(version: 2 | 3): Record<string, unknown> {
  const contract: Record<string, unknown> = {
    number: 'EM-2025/000123',
    startDate: '2025-07-01',
    position: 'Social worker',
    iscoCode: '2635',
    monthlySalary: { amount: 850, currency: 'AZN' },
  };
  if (version === 3) {
    contract.workSchedule = 'FULL_TIME';
    contract.weeklyHours = 40;
  }
  return {
    notificationId: '0b6f1a52-3a8e-4b4e-9d1c-6f9b8d2f4e11',
    event: 'CONCLUDED',
    employer: { voen: '1401234561', name: 'Example Construction LLC' },
    employee: { fin: '5ZJBKQ2', fullName: 'Aysel Mammadova' },
    contract,
    submittedAt: '2025-06-30T10:00:00+04:00',
  };
}

/** The smallest repeat count whose payload reaches `bytes` (JSON payloads measured serialized). */
export function repeatsForSize(build: (repeats: number) => unknown, bytes: number): number {
  const size = (n: number) => {
    const payload = build(n);
    return Buffer.byteLength(typeof payload === 'string' ? payload : JSON.stringify(payload));
  };
  let high = 1;
  while (size(high) < bytes) high *= 2;
  let low = 0;
  while (low < high) {
    const mid = Math.floor((low + high) / 2);
    if (size(mid) < bytes) low = mid + 1;
    else high = mid;
  }
  return low;
}
