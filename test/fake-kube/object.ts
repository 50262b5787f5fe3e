import type { IObjectMeta } from "@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta";

/** A stored API object: typed metadata, everything else as received. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: IObjectMeta;
  [field: string]: unknown;
}
