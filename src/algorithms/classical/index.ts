// The classical segmentation toolkit: pure typed-array algorithms shared by the webview, the
// extension host and the CLI. One algorithm per file; see each file for options and defaults.
export * from './image';
export { toGray, type GrayOptions } from './gray';
export { threshold, applyLut, binaryLut, type ThresholdOptions } from './threshold';
export { otsu, otsuLevel, histogram, type OtsuOptions } from './otsu';
export { multiOtsu, multiOtsuLevels, type MultiOtsuOptions } from './multiOtsu';
export { adaptiveThreshold, boxMean, type AdaptiveOptions } from './adaptiveThreshold';
export { gaussianBlur, gaussianKernelQ8, separableQ8, type GaussianOptions, type BorderMode } from './gaussian';
export { sobel, type SobelOptions } from './sobel';
export { canny, type CannyOptions } from './canny';
export { floodFill, type FloodFillOptions, type FloodFillResult, type Bbox } from './floodFill';
export { regionGrow, type RegionGrowOptions, type Seed } from './regionGrow';
export { connectedComponents, componentStats, type ComponentsInput, type ComponentsOptions, type ComponentsResult, type ComponentStats } from './connectedComponents';
export { erode, dilate, open, close, type MorphologyOptions, type StructuringShape } from './morphology';
export { fillHoles, type FillHolesOptions } from './fillHoles';
export { removeSmallObjects, type RemoveSmallOptions } from './removeSmallObjects';
export { distanceTransform, squaredDistance, type DistanceOptions } from './distanceTransform';
export { kmeans, prng, type KmeansOptions, type KmeansResult } from './kmeans';
export { watershed, type WatershedOptions } from './watershed';
export { splitTouching, type SplitOptions } from './splitTouching';
export { contours, ringArea, type Polygon } from './contours';
export { simplifyPolygon } from './simplify';

/** Alias used by the editor: the magic wand is a fixed-range flood fill. */
export { floodFill as magicWand } from './floodFill';
