// The local target's Cluster port: no AWS, but the lifecycle of a real cluster or Serverless workgroup, so the
// state machine's Wait/Choice loop really runs: a new cluster is `creating` for a few describes, then
// `available`; a new workgroup `CREATING`, then `AVAILABLE`; a namespace given a role `MODIFYING`, then
// `AVAILABLE`. Missing resources fail with the names the AWS SDK gives those errors.
import type {
  ClusterPort,
  ClusterSpec,
  ClusterState,
  EnsureClusterAction,
  EnsureNamespaceAction,
  EnsureWorkgroupAction,
  IngressRuleOutcome,
  NamespaceSpec,
  NamespaceState,
  RoleSpec,
  WorkgroupSpec,
  WorkgroupState,
} from '../functions/lib/ports/cluster';

const LOCAL_ACCOUNT = '000000000000';
const LOCAL_SECURITY_GROUP = 'sg-local';

export interface LocalClusterOptions {
  /** How many describes a new cluster or workgroup answers creating (a resumed cluster resuming, a namespace given
   * a role modifying) before the next one answers available (default 1). */
  describesWhileCreating?: number;
}

interface Simulated {
  spec: ClusterSpec;
  status: string;
  /** The status a transition ends in (`available`, `paused`) once its describes are used up. */
  becomes?: string;
  describesLeft: number;
}

interface SimulatedNamespace {
  spec: NamespaceSpec;
  status: string;
  iamRoles: string[];
  describesLeft: number;
}

interface SimulatedWorkgroup {
  spec: WorkgroupSpec;
  status: string;
  describesLeft: number;
}

/** What a LocalCluster holds, as plain data. */
export interface LocalClusterSnapshot {
  roles: string[];
  clusters: Record<string, Simulated>;
  namespaces: Record<string, SimulatedNamespace>;
  workgroups: Record<string, SimulatedWorkgroup>;
  ingress: Record<string, string>;
}

/** The status a resource has while it is being deleted; once its describes are used up, it is gone. */
const GONE = 'gone';

/** An error as the AWS SDK names it. */
function awsError(name: string, message: string): Error {
  return Object.assign(new Error(message), { name });
}

export class LocalCluster implements ClusterPort {
  private readonly roles = new Set<string>();
  private readonly clusters = new Map<string, Simulated>();
  private readonly namespaces = new Map<string, SimulatedNamespace>();
  private readonly workgroups = new Map<string, SimulatedWorkgroup>();
  /** Ingress rule (`<group> <cidr> <port>`) -> its rule id; every local rule is the pipeline's. */
  private readonly ingress = new Map<string, string>();
  private readonly describesWhileCreating: number;

  constructor(options: LocalClusterOptions = {}) {
    this.describesWhileCreating = options.describesWhileCreating ?? 1;
  }

  async ensureRole(spec: RoleSpec): Promise<{ arn: string; created: boolean }> {
    const created = !this.roles.has(spec.name);
    this.roles.add(spec.name);
    return { arn: `arn:aws:iam::${LOCAL_ACCOUNT}:role/${spec.name}`, created };
  }

  async ensureCluster(spec: ClusterSpec): Promise<{ action: EnsureClusterAction; state: ClusterState }> {
    const existing = this.clusters.get(spec.identifier);
    if (!existing) {
      this.clusters.set(spec.identifier, { spec, status: 'creating', becomes: 'available', describesLeft: this.describesWhileCreating });
      return { action: 'created', state: this.stateOf(spec.identifier) };
    }
    if (existing.status === 'paused') {
      Object.assign(existing, { status: 'resuming', becomes: 'available', describesLeft: this.describesWhileCreating });
      return { action: 'resumed', state: this.stateOf(spec.identifier) };
    }
    return { action: 'reused', state: this.stateOf(spec.identifier) };
  }

  async describeCluster(identifier: string): Promise<ClusterState> {
    const cluster = this.clusters.get(identifier);
    if (cluster?.becomes) {
      if (cluster.describesLeft > 0) cluster.describesLeft -= 1;
      else if (cluster.becomes === GONE) this.clusters.delete(identifier);
      else Object.assign(cluster, { status: cluster.becomes, becomes: undefined });
    }
    return this.stateOf(identifier);
  }

  /** As PauseCluster: only an `available` cluster pauses (API reference: PauseCluster, Errors, InvalidClusterState
   * "The specified cluster is not in the available state"); `pausing` until its describes are used up. */
  async pauseCluster(identifier: string): Promise<ClusterState> {
    const cluster = this.existingCluster(identifier);
    if (cluster.status !== 'available') {
      throw awsError('InvalidClusterStateFault', `The specified cluster is not in the available state (cluster ${identifier} is ${cluster.status}).`);
    }
    Object.assign(cluster, { status: 'pausing', becomes: 'paused', describesLeft: this.describesWhileCreating });
    return this.stateOf(identifier);
  }

  async ensureNamespace(spec: NamespaceSpec): Promise<{ action: EnsureNamespaceAction; state: NamespaceState }> {
    const existing = this.namespaces.get(spec.name);
    if (!existing) {
      // A new namespace is AVAILABLE at once; its workgroup is what takes time.
      this.namespaces.set(spec.name, { spec, status: 'AVAILABLE', iamRoles: [spec.roleArn], describesLeft: 0 });
      return { action: 'created', state: this.namespaceStateOf(spec.name) };
    }
    if (existing.iamRoles.includes(spec.roleArn)) return { action: 'reused', state: this.namespaceStateOf(spec.name) };
    Object.assign(existing, { status: 'MODIFYING', iamRoles: [...existing.iamRoles, spec.roleArn], describesLeft: this.describesWhileCreating });
    return { action: 'role-added', state: this.namespaceStateOf(spec.name) };
  }

  async ensureWorkgroup(spec: WorkgroupSpec): Promise<{ action: EnsureWorkgroupAction; state: WorkgroupState }> {
    if (this.workgroups.has(spec.name)) return { action: 'reused', state: this.workgroupStateOf(spec.name) };
    // CreateWorkgroup refuses a namespace that does not exist (API reference: CreateWorkgroup, Errors).
    if (!this.namespaces.has(spec.namespaceName)) {
      throw awsError('ResourceNotFoundException', `Namespace ${spec.namespaceName} not found.`);
    }
    this.workgroups.set(spec.name, { spec, status: 'CREATING', describesLeft: this.describesWhileCreating });
    return { action: 'created', state: this.workgroupStateOf(spec.name) };
  }

  async describeNamespace(name: string): Promise<NamespaceState> {
    this.progress(this.namespaces, name);
    return this.namespaceStateOf(name);
  }

  async describeWorkgroup(name: string): Promise<WorkgroupState> {
    this.progress(this.workgroups, name);
    return this.workgroupStateOf(name);
  }

  /** Everything the simulation holds, as plain data (local/clusterFile.ts keeps it with the warehouse). */
  snapshot(): LocalClusterSnapshot {
    return {
      roles: [...this.roles],
      clusters: Object.fromEntries(this.clusters),
      namespaces: Object.fromEntries(this.namespaces),
      workgroups: Object.fromEntries(this.workgroups),
      ingress: Object.fromEntries(this.ingress),
    };
  }

  /** A simulation holding what `snapshot` returned. */
  static restore(snapshot: LocalClusterSnapshot, options: LocalClusterOptions = {}): LocalCluster {
    const cluster = new LocalCluster(options);
    for (const role of snapshot.roles) cluster.roles.add(role);
    for (const [key, value] of Object.entries(snapshot.clusters)) cluster.clusters.set(key, value);
    for (const [key, value] of Object.entries(snapshot.namespaces)) cluster.namespaces.set(key, value);
    for (const [key, value] of Object.entries(snapshot.workgroups)) cluster.workgroups.set(key, value);
    for (const [key, value] of Object.entries(snapshot.ingress)) cluster.ingress.set(key, value);
    return cluster;
  }

  /** The roles attached to a namespace, as UpdateNamespace left them. */
  namespaceRoles(name: string): string[] {
    return [...(this.namespaces.get(name)?.iamRoles ?? [])];
  }

  async authorizeIngress(groupId: string, cidr: string, port: number): Promise<IngressRuleOutcome> {
    const rule = `${groupId} ${cidr} ${port}`;
    if (this.ingress.has(rule)) return 'exists';
    this.ingress.set(rule, `sgr-local-${this.ingress.size + 1}`);
    return 'added';
  }

  /** Revokes the group's rules (all of them are the pipeline's locally: openPort is the only one adding rules). */
  async revokeIngress(groupId: string, _description: string): Promise<string[]> {
    const rules = [...this.ingress].filter(([rule]) => rule.startsWith(`${groupId} `));
    for (const [rule] of rules) this.ingress.delete(rule);
    return rules.map(([, id]) => id);
  }

  /** As DeleteCluster: an `available` or `paused` cluster is deleted (`final-snapshot` first when one is asked
   * for), then gone after its describes; any other status is Redshift's InvalidClusterStateFault (API reference:
   * DeleteCluster, Errors). */
  async deleteCluster(identifier: string, finalSnapshot?: string): Promise<ClusterState> {
    const cluster = this.existingCluster(identifier);
    if (!['available', 'paused'].includes(cluster.status)) {
      throw awsError('InvalidClusterStateFault', `The specified cluster is not in the available state (cluster ${identifier} is ${cluster.status}).`);
    }
    Object.assign(cluster, { status: finalSnapshot ? 'final-snapshot' : 'deleting', becomes: GONE, describesLeft: this.describesWhileCreating });
    return this.stateOf(identifier);
  }

  /** As DeleteWorkgroup: `DELETING`, then gone after its describes. */
  async deleteWorkgroup(name: string): Promise<WorkgroupState> {
    const workgroup = this.workgroupStateOf(name);
    Object.assign(this.workgroups.get(name) as SimulatedWorkgroup, { status: 'DELETING', describesLeft: this.describesWhileCreating });
    return { ...workgroup, status: 'DELETING' };
  }

  /** As DeleteNamespace: refused with ConflictException while a workgroup of it exists; else `DELETING`, then gone. */
  async deleteNamespace(name: string, _finalSnapshot?: string): Promise<NamespaceState> {
    this.namespaceStateOf(name);
    const workgroup = [...this.workgroups.values()].find((candidate) => candidate.spec.namespaceName === name);
    if (workgroup) throw awsError('ConflictException', `Namespace ${name} has workgroup ${workgroup.spec.name}: delete the workgroup first.`);
    Object.assign(this.namespaces.get(name) as SimulatedNamespace, { status: 'DELETING', describesLeft: this.describesWhileCreating });
    return this.namespaceStateOf(name);
  }

  /** As DeleteRolePolicy then DeleteRole: `absent` when the role is gone already. */
  async deleteRole(name: string, _policyName: string): Promise<'deleted' | 'absent'> {
    return this.roles.delete(name) ? 'deleted' : 'absent';
  }

  /** Pauses a cluster, as the AWS console would: the next run resumes it. */
  pause(identifier: string): void {
    const cluster = this.clusters.get(identifier);
    if (cluster) Object.assign(cluster, { status: 'paused', becomes: undefined });
  }

  /** One describe of a namespace or workgroup in progress: once its in-progress describes are used up, AVAILABLE,
   * or gone when it was DELETING. */
  private progress(resources: Map<string, { status: string; describesLeft: number }>, name: string): void {
    const resource = resources.get(name);
    if (!resource || resource.status === 'AVAILABLE') return;
    if (resource.describesLeft > 0) resource.describesLeft -= 1;
    else if (resource.status === 'DELETING') resources.delete(name);
    else resource.status = 'AVAILABLE';
  }

  private namespaceStateOf(name: string): NamespaceState {
    const namespace = this.namespaces.get(name);
    if (!namespace) throw awsError('ResourceNotFoundException', `Namespace ${name} not found.`);
    return { name, status: namespace.status, iamRoles: [...namespace.iamRoles] };
  }

  private workgroupStateOf(name: string): WorkgroupState {
    const workgroup = this.workgroups.get(name);
    if (!workgroup) throw awsError('ResourceNotFoundException', `Workgroup ${name} not found.`);
    return {
      name,
      namespaceName: workgroup.spec.namespaceName,
      status: workgroup.status,
      port: workgroup.spec.port,
      securityGroupIds: [LOCAL_SECURITY_GROUP],
    };
  }

  /** The cluster, or Redshift's ClusterNotFoundFault. */
  private existingCluster(identifier: string): Simulated {
    const cluster = this.clusters.get(identifier);
    if (!cluster) throw awsError('ClusterNotFoundFault', `Cluster ${identifier} not found.`);
    return cluster;
  }

  private stateOf(identifier: string): ClusterState {
    const cluster = this.existingCluster(identifier);
    const available = cluster.status === 'available';
    return {
      identifier,
      status: cluster.status,
      availability: available ? 'Available' : ['paused', 'pausing'].includes(cluster.status) ? 'Unavailable' : 'Modifying',
      endpoint: { address: 'localhost', port: cluster.spec.port },
      securityGroupIds: [LOCAL_SECURITY_GROUP],
    };
  }
}
