// Restart sanity, the OTP pitfalls that only show in production:
//
// - A restart storm an enclosing supervisor never sees. Restarting a node also restarts what
//   needs it (its handle went stale), wherever that is; those restarts are charged to the
//   supervisor that restarted, not to the one that owns the dependent. A nested supervisor that
//   allows more restarts in a given time than an enclosing one thus restarts the enclosing
//   one's children more often than it would itself tolerate. (Without such a dependent a nested
//   supervisor allowing more than its parent is sound, and what OTP recommends.)
// - A child that takes longer to stop than its supervisor's intensity period: restarts never
//   add up within one period, so a crash loop never makes the supervisor give up.
// - `intensity 0`: legal (escalate at once), but it silently voids the children's policies.
import type { ModelCheck, ModelView } from "./context.ts";
import { M } from "../diagnostics/catalogue.ts";
import { H } from "../diagnostics/hints.ts";
import { N } from "../diagnostics/notes.ts";
import type { NodeId, ResolvedNode, ResolvedSupervisor } from "../model/model.ts";
import type { Related } from "../diagnostics/diagnostic.ts";
import type { Span } from "../diagnostics/span.ts";
import { formatDuration } from "../language/literals.ts";
import { TEMPORARY } from "../language/vocabulary.ts";

interface Spill {
  /** The dependent outside the nested supervisor that its restarts also restart. */
  readonly dependent: NodeId;
  readonly needSpan: Span;
  /** The supervisor that owns both: the one whose intensity is bypassed. */
  readonly owner: ResolvedSupervisor;
}

/** `intensity 3 per 10s` of a supervisor, or its name when the default applies. */
function intensityAt(supervisor: ResolvedSupervisor): Span {
  return supervisor.written.intensity?.span ?? supervisor.written.name;
}

/** `app 'shop' allows 3 restarts per 1m`, saying so when that is the default. */
function describeIntensity(model: ModelView, supervisor: ResolvedSupervisor): string {
  const { max, periodMs } = supervisor.intensity;
  return N.allowsRestarts(describeSupervisor(model, supervisor.id), max, formatDuration(periodMs), supervisor.written.intensity === undefined);
}

function describeSupervisor(model: ModelView, id: NodeId): string {
  return id === model.app.root.id ? `app '${model.app.name}'` : `supervisor '${id}'`;
}

/**
 * For each supervisor, the spill with the least tolerant owner. A need `x -> t` spills out of
 * every supervisor that contains `t` but not `x` (restarting inside it restarts `t`'s dependents),
 * and out of every supervisor inside `t` (restarting anything in `t` relays to what needs `t`);
 * its owner is the lowest supervisor containing both, the same for all of them. Each need walks
 * up from `t` once and marks `t` for the walk down, so this stays linear in needs times depth;
 * whether a supervisor contains `x` is a range test on table positions.
 */
function findSpills(model: ModelView): Map<NodeId, Spill> {
  const { table } = model.worstCase.evaluation;
  const best = new Map<NodeId, Spill>();
  const downward = new Map<NodeId, Spill>();
  const offer = (into: Map<NodeId, Spill>, id: NodeId, spill: Spill): void => {
    into.set(id, lessTolerant(into.get(id), spill)!);
  };
  const isSupervisorAt = (position: number): boolean => table.nodes[position]!.kind === "supervisor";
  table.nodes.forEach((node, x) => {
    for (const need of node.needs) {
      const t = table.positionOf(need.target);
      let owner = t;
      while (!isSupervisorAt(owner) || !(x >= owner && x < table.subtreeEnd[owner]!)) owner = table.parent[owner]!;
      const spill: Spill = { dependent: node.id, needSpan: need.span, owner: table.nodes[owner] as ResolvedSupervisor };
      for (let container = t; container !== owner; container = table.parent[container]!) {
        if (isSupervisorAt(container)) offer(best, table.ids[container]!, spill);
      }
      if (isSupervisorAt(t)) offer(downward, need.target, spill);
    }
  });
  // Top-down, so that every supervisor inside a needed one gets the need's spill.
  const stack: { node: ResolvedNode; inherited: Spill | undefined }[] = [{ node: model.app.root, inherited: undefined }];
  while (stack.length > 0) {
    const { node, inherited } = stack.pop()!;
    if (node.kind !== "supervisor") continue;
    if (inherited !== undefined) offer(best, node.id, inherited);
    const next = lessTolerant(inherited, downward.get(node.id));
    for (const child of node.children) stack.push({ node: child, inherited: next });
  }
  return best;
}

/** The spill whose owner allows fewer restarts (the first one among equals). */
function lessTolerant(a: Spill | undefined, b: Spill | undefined): Spill | undefined {
  if (a === undefined || b === undefined) return a ?? b;
  return b.owner.intensity.max < a.owner.intensity.max ? b : a;
}

const checkRestartStorms: ModelCheck = {
  name: "restart storms",
  tier: "model",
  run(model, accept) {
    const { table } = model.worstCase.evaluation;
    for (const [id, spill] of findSpills(model)) {
      const nested = table.nodeOf(id) as ResolvedSupervisor;
      const { max, periodMs } = nested.intensity;
      const owner = spill.owner.intensity;
      if (max <= owner.max) continue;
      // The same window for both: the shorter period, in which each may use its whole allowance.
      const windowMs = Math.min(periodMs, owner.periodMs);
      const window = formatDuration(windowMs);
      const ownerAllows = `${owner.max} in ${window}${owner.periodMs !== windowMs ? ` (${owner.max} per ${formatDuration(owner.periodMs)})` : ""}`;
      const related: Related[] = [
        { message: describeIntensity(model, spill.owner), span: intensityAt(spill.owner) },
        { message: N.needsInsideHere(spill.dependent, id), span: spill.needSpan },
      ];
      accept(M.restartStorm, intensityAt(nested), [id, `${max} times within ${window}`, spill.dependent, describeSupervisor(model, spill.owner.id), ownerAllows], {
        related,
        hint: H.lowerNestedIntensity(id, owner.max, spill.dependent),
      });
    }
  },
};

/**
 * How long a child may take to stop when its supervisor restarts it, when a written stop
 * timeout allows more than the defaults do (the defaults, 5s against 1 per 5s, are OTP's and
 * consistent). A supervisor is bounded by its children as well as by its stop timeout.
 */
function restartStopMs(model: ModelView, child: ResolvedNode): number | undefined {
  if (child.written.stopTimeout === undefined || !Number.isFinite(child.stopTimeoutMs)) return undefined;
  if (child.kind === "service") return child.stopTimeoutMs;
  const { evaluation } = model.worstCase;
  return Math.min(child.stopTimeoutMs, evaluation.finishMs(child.id) - evaluation.beginMs(child.id));
}

const checkStopsWithinPeriod: ModelCheck = {
  name: "stop timeouts within the intensity period",
  tier: "model",
  run(model, accept) {
    for (const node of model.table.nodes) {
      if (node.kind !== "supervisor" || node.intensity.max === 0) continue;
      for (const child of node.children) {
        // A stop timeout within the period bounds the stop within it: nothing to look up.
        if (child.restart === TEMPORARY || child.stopTimeoutMs <= node.intensity.periodMs) continue;
        // An infinite stop is either bounded by a supervisor's budget or reported as SUP3014.
        const stopMs = restartStopMs(model, child);
        if (stopMs === undefined || stopMs <= node.intensity.periodMs) continue;
        const span = child.written.stopTimeout!.span;
        const period = formatDuration(node.intensity.periodMs);
        accept(M.stopLongerThanPeriod, span, [child.id, formatDuration(stopMs), describeSupervisor(model, node.id), period], {
          related: [{ message: describeIntensity(model, node), span: intensityAt(node) }],
          hint: H.lengthenIntensityPeriod(describeSupervisor(model, node.id), formatDuration(stopMs)),
        });
      }
    }
  },
};

const checkZeroIntensity: ModelCheck = {
  name: "intensity 0",
  tier: "model",
  run(model, accept) {
    for (const node of model.table.nodes) {
      if (node.kind !== "supervisor" || node.intensity.max !== 0) continue;
      if (!node.children.some((c) => c.restart !== TEMPORARY)) continue;
      accept(M.noRestartsAllowed, node.written.intensity!.max, [describeSupervisor(model, node.id)], {
        hint: H.allowRestartsInPlace(),
      });
    }
  },
};

export const MODEL_CHECKS: readonly ModelCheck[] = [checkRestartStorms, checkStopsWithinPeriod, checkZeroIntensity];
