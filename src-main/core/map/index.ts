// The map engine: k-NN graph (PCA + sharded HNSW), persistent k-NN index, 2-D layout
// (UMAP-style SGD on worker threads) and layout quality measures.
export { computeMap, type MapOptions, type MapResult } from './compute-map';
export { buildKnnGraph, type KnnOptions } from './knn';
export { KnnIndex, loadIndex, saveIndex } from './knn-index';
export { layoutGraph, placeByNeighbours, type LayoutOptions, type ProgressCallback, type LayoutPhase } from './layout';
export { graphRecall, knn2d, labelAgreement, trustworthiness } from './engine/quality';
