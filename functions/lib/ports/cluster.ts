// The Cluster port: what the cluster steps need of AWS, for a provisioned cluster or a Redshift Serverless
// namespace and workgroup. Adapters: awsCluster.ts (Redshift, IAM, EC2), awsServerless.ts (Redshift Serverless)
// and local/localCluster.ts. Each ensure method is idempotent: calling it again reuses what exists.

export interface RoleSpec {
  name: string;
  /** The role's IAM path (`/` unless the configured role ARN holds one). */
  path?: string;
  /** Inline policy document (JSON-serialisable) attached under `policyName`. */
  policyName: string;
  policy: Record<string, unknown>;
}

export interface ClusterSpec {
  identifier: string;
  nodeType: string;
  nodeCount: number;
  dbName: string;
  dbUser: string;
  port: number;
  roleArn: string;
  publiclyAccessible: boolean;
}

export interface ClusterState {
  identifier: string;
  /** Redshift's ClusterStatus, for example `creating`, `available`, `paused`, `resuming`. */
  status: string;
  /** Redshift's ClusterAvailabilityStatus: `Available`, `Unavailable`, `Maintenance`, `Modifying`, `Failed`. */
  availability: string;
  endpoint?: { address: string; port: number };
  /** The cluster's VPC security groups, active ones first. */
  securityGroupIds: string[];
}

/** What ensureCluster did; the one list, which the cluster event's schema (events.ts) also accepts. */
export const CLUSTER_ACTIONS = ['created', 'reused', 'resumed'] as const;
export type EnsureClusterAction = (typeof CLUSTER_ACTIONS)[number];

export interface NamespaceSpec {
  name: string;
  dbName: string;
  /** The admin user; its password is managed by Redshift in Secrets Manager. */
  dbUser: string;
  /** The role COPY assumes: attached to the namespace. */
  roleArn: string;
}

export interface NamespaceState {
  name: string;
  /** Redshift Serverless's NamespaceStatus: `AVAILABLE`, `MODIFYING`, `DELETING`. */
  status: string;
  /** The ARNs of the roles attached to the namespace. */
  iamRoles: string[];
}

/** `role-added`: the namespace existed without the COPY role, which was attached to it. */
export type EnsureNamespaceAction = 'created' | 'reused' | 'role-added';

export interface WorkgroupSpec {
  name: string;
  namespaceName: string;
  /** Base capacity in RPUs. */
  baseCapacity: number;
  port: number;
  publiclyAccessible: boolean;
}

export interface WorkgroupState {
  name: string;
  namespaceName: string;
  /** Redshift Serverless's WorkgroupStatus: `CREATING`, `AVAILABLE`, `MODIFYING`, `DELETING`. */
  status: string;
  /** The port the workgroup listens on. */
  port?: number;
  securityGroupIds: string[];
}

export type EnsureWorkgroupAction = 'created' | 'reused';

/** The Description of the ingress rules this pipeline adds, so people (and the teardown) can tell them apart. */
export const INGRESS_RULE_DESCRIPTION = 'Redshift access opened by the sparkify-dwh pipeline';
export type IngressRuleOutcome = 'added' | 'exists';

export interface ClusterPort {
  /** Creates the role trusted by redshift.amazonaws.com, or reuses it; (re)puts its inline policy. */
  ensureRole(spec: RoleSpec): Promise<{ arn: string; created: boolean }>;
  /** Creates the cluster, reuses it, or resumes it when paused. */
  ensureCluster(spec: ClusterSpec): Promise<{ action: EnsureClusterAction; state: ClusterState }>;
  /** Describes the cluster; a missing one is an error named `ClusterNotFoundFault`, as the AWS SDK names it. */
  describeCluster(identifier: string): Promise<ClusterState>;
  /** Creates the namespace with the role attached, reuses it, or attaches the role to an existing one. */
  ensureNamespace(spec: NamespaceSpec): Promise<{ action: EnsureNamespaceAction; state: NamespaceState }>;
  /** Creates the workgroup in its namespace, or reuses it. */
  ensureWorkgroup(spec: WorkgroupSpec): Promise<{ action: EnsureWorkgroupAction; state: WorkgroupState }>;
  /** Describes a namespace; a missing one is an error named `ResourceNotFoundException`, as the AWS SDK names it. */
  describeNamespace(name: string): Promise<NamespaceState>;
  /** Describes a workgroup; a missing one is an error named `ResourceNotFoundException`. */
  describeWorkgroup(name: string): Promise<WorkgroupState>;
  /** Allows TCP `port` from `cidr` on a security group; an existing rule is success. */
  authorizeIngress(groupId: string, cidr: string, port: number): Promise<IngressRuleOutcome>;
  /** Starts pausing an `available` cluster and returns at once (`pausing`); Redshift refuses any other status with
   * `InvalidClusterStateFault`, a missing cluster with `ClusterNotFoundFault`. */
  pauseCluster(identifier: string): Promise<ClusterState>;
  /** Revokes the ingress rules of a security group whose description is `description` (the pipeline's); returns
   * the ids of the rules revoked (none: nothing to do). */
  revokeIngress(groupId: string, description: string): Promise<string[]>;
  /** Starts deleting a cluster, after a final snapshot named `finalSnapshot` or without one; returns it as it
   * stands (`final-snapshot` or `deleting`). Redshift refuses a cluster in a transition with `InvalidClusterStateFault`. */
  deleteCluster(identifier: string, finalSnapshot?: string): Promise<ClusterState>;
  /** Starts deleting a workgroup; returns it as it stands (`DELETING`). A missing one: `ResourceNotFoundException`. */
  deleteWorkgroup(name: string): Promise<WorkgroupState>;
  /** Starts deleting a namespace (its workgroup must be gone), after a final snapshot or without one. */
  deleteNamespace(name: string, finalSnapshot?: string): Promise<NamespaceState>;
  /** Deletes a role and its inline policy; `absent` when there was nothing left to delete. */
  deleteRole(name: string, policyName: string): Promise<'deleted' | 'absent'>;
}
