// Names of the MobileNetV2 (nsfwjs mobilenet_v2_mid) tensors the built-in model can be cut at.
export const TF_PREFIX = 'StatefulPartitionedCall/sequential/keras_layer/StatefulPartitionedCall/StatefulPartitionedCall/StatefulPartitionedCall/predict/MobilenetV2/';

/** Inverted-residual block outputs that have a residual add; the others end at their projection. */
const WITH_ADD = new Set([2, 4, 5, 7, 8, 9, 11, 12, 14, 15]);

/** Output of block b (1..16; 0 is the first "expanded_conv" block). */
export function blockOutput(b: number): string {
  const block = b === 0 ? 'expanded_conv' : `expanded_conv_${b}`;
  return TF_PREFIX + (WITH_ADD.has(b) ? `${block}/add` : `${block}/project/BatchNorm/FusedBatchNormV3`);
}

/** The ReLU6 output of block b's 1x1 expansion (blocks 1..16). */
export function blockExpand(b: number): string {
  return `${TF_PREFIX}expanded_conv_${b}/expand/Relu6`;
}

export function blockDepthwise(b: number): string {
  return `${TF_PREFIX}${b === 0 ? 'expanded_conv' : `expanded_conv_${b}`}/depthwise/depthwise`;
}

export const LAST_CONV = `${TF_PREFIX}Conv_1/Relu6`;
