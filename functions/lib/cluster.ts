// The Cluster port: what the cluster steps need of AWS. Adapters: awsCluster.ts (Redshift, IAM, EC2)
// and local/localCluster.ts. Each method is idempotent: calling it again reuses what exists.

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

export type EnsureClusterAction = 'created' | 'reused' | 'resumed';
export type IngressResult = 'added' | 'exists';

export interface ClusterPort {
  /** Creates the role trusted by redshift.amazonaws.com, or reuses it; (re)puts its inline policy. */
  ensureRole(spec: RoleSpec): Promise<{ arn: string; created: boolean }>;
  /** Creates the cluster, reuses it, or resumes it when paused. */
  ensureCluster(spec: ClusterSpec): Promise<{ action: EnsureClusterAction; state: ClusterState }>;
  /** Describes the cluster; a missing one is an error named `ClusterNotFoundFault`, as the AWS SDK names it. */
  describeCluster(identifier: string): Promise<ClusterState>;
  /** Allows TCP `port` from `cidr` on a security group; an existing rule is success. */
  authorizeIngress(groupId: string, cidr: string, port: number): Promise<IngressResult>;
}
