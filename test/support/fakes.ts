import { DemoAccounts } from '../../adapters/accounts/demo-accounts.ts';
import { MemoryAuditLog } from '../../adapters/audit/log-audit-log.ts';
import { InProcessBus } from '../../adapters/bus/in-process-bus.ts';
import { BuiltinPins } from '../../adapters/pins/builtin-pins.ts';
import { MemoryDeadlines } from '../../adapters/store/memory-deadlines.ts';
import { MemorySessionStore } from '../../adapters/store/memory-session-store.ts';
import { type Policies, resolvePolicies } from '../../core/policies.ts';
import type {
  Bus,
  Deadlines,
  DevicePromptRequest,
  DevicePrompts,
  Mail,
  Mailer,
  SessionStore,
  SessionUpdate,
} from '../../core/ports/index.ts';
import type { AgentRef } from '../../core/session.ts';
import { keyedAccountHash } from '../../core/signing.ts';
import { Verification } from '../../core/verification.ts';
import { FakeClock } from './clock.ts';

export class RecordingMailer implements Mailer {
  readonly sent: Mail[] = [];
  async send(mail: Mail): Promise<void> {
    this.sent.push(mail);
  }
}

export class RecordingDevicePrompts implements DevicePrompts {
  readonly sent: DevicePromptRequest[] = [];
  failNext = false;
  async send(request: DevicePromptRequest): Promise<void> {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('device service unreachable');
    }
    this.sent.push(request);
  }
  last(): DevicePromptRequest {
    const last = this.sent.at(-1);
    if (!last) throw new Error('no device prompt was sent');
    return last;
  }
}

export const AUDIT_KEY = 'test-audit-key-0123456789abcdef0123456789';
export const PEPPER = 'test-pin-pepper-0123456789abcdef0123456789';
export const hashAccount = (accountId: string) => keyedAccountHash(AUDIT_KEY, accountId);

export const AGENT: AgentRef = {
  id: 'U_AGENT_1',
  displayName: 'Robin',
  channel: 'slack',
  workspaceId: 'T_WORK',
  locale: 'en',
};
export const OTHER_AGENT: AgentRef = { ...AGENT, id: 'U_AGENT_2', displayName: 'Kim' };

export interface FlowFixture {
  verification: Verification;
  store: SessionStore;
  bus: Bus;
  clock: FakeClock;
  audit: MemoryAuditLog;
  mailer: RecordingMailer;
  device: RecordingDevicePrompts;
  pins: BuiltinPins;
  updates: SessionUpdate[];
  policies: Readonly<Policies>;
  /** What the flow reported as failing after its answer (emails). */
  backgroundErrors: Array<{ error: unknown; what: string }>;
}

/** The verification flow on real adapters (memory store unless one is given), with recording doubles at the edges. */
export async function flowFixture(
  options: {
    store?: SessionStore;
    clock?: FakeClock;
    policies?: Partial<Policies>;
    bus?: Bus;
    deadlines?: Deadlines;
  } = {},
): Promise<FlowFixture> {
  const clock = options.clock ?? new FakeClock();
  const store = options.store ?? new MemorySessionStore(clock);
  const deadlines = options.deadlines ?? new MemoryDeadlines();
  const policies = resolvePolicies(options.policies);
  const bus = options.bus ?? new InProcessBus();
  const updates: SessionUpdate[] = [];
  await bus.subscribe((u) => {
    updates.push(u);
  });
  const audit = new MemoryAuditLog();
  const mailer = new RecordingMailer();
  const device = new RecordingDevicePrompts();
  const pins = new BuiltinPins({ store, clock, pepper: PEPPER, validMinutes: policies.pinValidMinutes, hashAccount });
  const backgroundErrors: FlowFixture['backgroundErrors'] = [];
  const verification = new Verification({
    store,
    deadlines,
    bus,
    accounts: await DemoAccounts.load(),
    devicePrompts: device,
    pins,
    mailer,
    audit,
    clock,
    policies,
    company: 'Example Co',
    hashAccount,
    onBackgroundError: (error, what) => backgroundErrors.push({ error, what }),
  });
  return { verification, store, bus, clock, audit, mailer, device, pins, updates, policies, backgroundErrors };
}
