// What a transparent pixel is shown and analysed on, everywhere an image is read (thumbnails,
// the map's sprites, the detail view, embeddings, appearance signatures and tiles). White:
// clip art and line drawings are made to be seen on paper or a page, and an editor that saves a
// transparent image as JPEG composites it on white, so the two copies look alike. Dropping
// alpha instead leaves whatever colour the transparent pixels happen to hold (usually black),
// which turned black drawings into all-black images (issue #19).
export const ALPHA_BACKDROP = { r: 255, g: 255, b: 255 } as const;
