// The local target's Cluster port: no AWS, but the lifecycle of a real cluster, so the state machine's
// Wait/Choice loop really runs: a new cluster is `creating` for a few describes, then `available`.
import type {
  ClusterPort,
  ClusterSpec,
  ClusterState,
  EnsureClusterAction,
  IngressResult,
  RoleSpec,
} from '../functions/lib/cluster';

const LOCAL_ACCOUNT = '000000000000';
const LOCAL_SECURITY_GROUP = 'sg-local';

export interface LocalClusterOptions {
  /** How many describes a new cluster stays `creating` before it is `available` (default 2). */
  describesWhileCreating?: number;
}

interface Simulated {
  spec: ClusterSpec;
  status: string;
  describesLeft: number;
}

export class LocalCluster implements ClusterPort {
  private readonly roles = new Set<string>();
  private readonly clusters = new Map<string, Simulated>();
  private readonly ingress = new Set<string>();
  private readonly describesWhileCreating: number;

  constructor(options: LocalClusterOptions = {}) {
    this.describesWhileCreating = options.describesWhileCreating ?? 2;
  }

  async ensureRole(spec: RoleSpec): Promise<{ arn: string; created: boolean }> {
    const created = !this.roles.has(spec.name);
    this.roles.add(spec.name);
    return { arn: `arn:aws:iam::${LOCAL_ACCOUNT}:role/${spec.name}`, created };
  }

  async ensureCluster(spec: ClusterSpec): Promise<{ action: EnsureClusterAction; state: ClusterState }> {
    const existing = this.clusters.get(spec.identifier);
    if (!existing) {
      this.clusters.set(spec.identifier, { spec, status: 'creating', describesLeft: this.describesWhileCreating });
      return { action: 'created', state: this.stateOf(spec.identifier) };
    }
    if (existing.status === 'paused') {
      Object.assign(existing, { status: 'resuming', describesLeft: this.describesWhileCreating });
      return { action: 'resumed', state: this.stateOf(spec.identifier) };
    }
    return { action: 'reused', state: this.stateOf(spec.identifier) };
  }

  async describeCluster(identifier: string): Promise<ClusterState> {
    const cluster = this.clusters.get(identifier);
    if (cluster && cluster.status !== 'available' && cluster.status !== 'paused') {
      cluster.describesLeft -= 1;
      if (cluster.describesLeft <= 0) cluster.status = 'available';
    }
    return this.stateOf(identifier);
  }

  async authorizeIngress(groupId: string, cidr: string, port: number): Promise<IngressResult> {
    const rule = `${groupId} ${cidr} ${port}`;
    if (this.ingress.has(rule)) return 'exists';
    this.ingress.add(rule);
    return 'added';
  }

  /** Pauses a cluster, as the AWS console would: the next run resumes it. */
  pause(identifier: string): void {
    const cluster = this.clusters.get(identifier);
    if (cluster) cluster.status = 'paused';
  }

  private stateOf(identifier: string): ClusterState {
    const cluster = this.clusters.get(identifier);
    if (!cluster) throw Object.assign(new Error(`Cluster ${identifier} not found.`), { name: 'ClusterNotFoundFault' });
    const available = cluster.status === 'available';
    return {
      identifier,
      status: cluster.status,
      availability: available ? 'Available' : cluster.status === 'paused' ? 'Unavailable' : 'Modifying',
      endpoint: { address: 'localhost', port: cluster.spec.port },
      securityGroupIds: [LOCAL_SECURITY_GROUP],
    };
  }
}
