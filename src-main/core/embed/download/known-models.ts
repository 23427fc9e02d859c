// Well-known image encoders Winnow can download, each pinned to one exact file. URLs name a
// Hugging Face commit, not `main`, so the hash keeps matching when a repository is updated.
//
// Where the pins come from (no file here was hashed by us; every value below is published by
// several independent projects that pin the same revision):
// - Xenova/dinov2-small @ c2bb04a5, onnx/model.onnx: 88,459,888 bytes, sha256 83141175…79ea.
// - Xenova/clip-vit-base-patch32 @ d15189d7, onnx/vision_model.onnx: 351,685,709 bytes,
//   sha256 fd6e1402…7d40 (also the Git LFS pointer `oid`/`size` of a vendored copy).
// Graph names: both exports take `pixel_values` [N,3,224,224]; DINOv2 gives `last_hidden_state`
// [N,257,384] (token 0 is the final-norm CLS token, the same vector as HF's pooler_output), CLIP
// gives `image_embeds` [N,512] (the projected image embedding).
// The int8 "quantized" exports are left out on purpose: their dynamic activation quantisation
// makes a vector depend on the other images in its batch.
import type { ModelSpec } from '../model';

export interface KnownModel {
  /** Stable id: the file stem under the models folder (`<id>.onnx`, `<id>.json`). */
  id: string;
  name: string;
  url: string;
  sha256: string;
  sizeBytes: number;
  license: string;
  /** Where a person can read about the model. */
  homepage: string;
  spec: ModelSpec;
}

const IMAGENET = { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] } as const;
const CLIP = { mean: [0.48145466, 0.4578275, 0.40821073], std: [0.26862954, 0.26130258, 0.27577711] } as const;

export const KNOWN_MODELS: readonly KnownModel[] = [
  {
    id: 'dinov2-small',
    name: 'DINOv2 ViT-S/14 (Meta), fp32 ONNX export by Xenova',
    url: 'https://huggingface.co/Xenova/dinov2-small/resolve/c2bb04a51fab207c420665f1946016107bffc701/onnx/model.onnx',
    sha256: '83141175ec78b4ff9a2bb58a4c7c264ba0054d1c2e122e5a8114b79a8d4179ea',
    sizeBytes: 88_459_888,
    license: 'Apache-2.0',
    homepage: 'https://huggingface.co/facebook/dinov2-small',
    spec: {
      name: 'dinov2-small',
      inputName: 'pixel_values',
      inputSize: { width: 224, height: 224 },
      layout: 'NCHW',
      channelOrder: 'RGB',
      valueScale: 1 / 255,
      mean: [...IMAGENET.mean],
      std: [...IMAGENET.std],
      outputName: 'last_hidden_state',
      pooling: 'cls',
      embeddingDim: 384,
    },
  },
  {
    id: 'clip-vit-b32',
    name: 'CLIP ViT-B/32 image encoder (OpenAI), fp32 ONNX export by Xenova',
    url: 'https://huggingface.co/Xenova/clip-vit-base-patch32/resolve/d15189d7028b43f1d3e65039190477f6af591c2a/onnx/vision_model.onnx',
    sha256: 'fd6e1402a588279d1723c7534d4bcba5bc0b14b47dfab0e46f8c47b8270d7d40',
    sizeBytes: 351_685_709,
    license: 'MIT',
    homepage: 'https://huggingface.co/openai/clip-vit-base-patch32',
    spec: {
      name: 'clip-vit-b32',
      inputName: 'pixel_values',
      inputSize: { width: 224, height: 224 },
      layout: 'NCHW',
      channelOrder: 'RGB',
      valueScale: 1 / 255,
      mean: [...CLIP.mean],
      std: [...CLIP.std],
      outputName: 'image_embeds',
      pooling: 'none',
      embeddingDim: 512,
    },
  },
];

export function findKnownModel(id: string, catalogue: readonly KnownModel[] = KNOWN_MODELS): KnownModel | undefined {
  return catalogue.find((m) => m.id === id);
}
