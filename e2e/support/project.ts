// Project set-ups several specs share: a new empty project made through the UI as a person
// would, a folder of generated shapes and one of digits with planted near-copies, each imported,
// embedded and mapped by the CLI.
import { expect, type Page } from '@playwright/test';
import { join } from 'node:path';
import sharp from 'sharp';
import { createRng } from '../../src-shared/random';
import { shiftedCopy } from '../../src-main/testing/curation/mnist';
import { readDemoPart } from '../../src-main/core/import/idx';
import { makeFixtureFolder, makeMnistFolder } from '../../src-main/testing/fixture-images';
import { winnow } from './cli';

/** Clicks through "Create or open a project" and waits for the empty project. */
export async function createProjectInUi(page: Page, path: string): Promise<void> {
  // The start screen's button, or the header's when the server has a project open already.
  await page.getByRole('button', { name: 'Create or open a project' }).or(page.getByRole('button', { name: 'Project…' })).first().click();
  await page.getByLabel('Project file path').fill(path);
  await page.getByRole('button', { name: 'Create', exact: true }).click();
  await expect(page.getByTestId('total-count')).toHaveText('0');
}

export interface PlantedCopy { dx: number; dy: number; noise: number; name: string }

/**
 * `perDigit` real test digits per class in `dir/digits`, plus copies of test digit `source`
 * shifted and noised as given (in its class folder), then import → embed → map into a project.
 * Returns the project file.
 */
export async function mappedDigitsWithCopies(dir: string, perDigit: number, source: number, copies: PlantedCopy[], seed: number): Promise<string> {
  const images = join(dir, 'digits');
  await makeMnistFolder(images, perDigit);
  const part = readDemoPart('mnist', 'test');
  const rng = createRng(seed);
  for (const c of copies) {
    const copy = shiftedCopy(part.images, source, c.dx, c.dy, c.noise, rng);
    await sharp(Buffer.from(copy), { raw: { width: 28, height: 28, channels: 1 } }).png().toFile(join(images, String(part.labels[source]), c.name));
  }
  const project = join(dir, 'digits.winnow');
  winnow('import', images, '--project', project);
  winnow('embed', '--project', project, '--device', 'cpu');
  winnow('map', '--project', project);
  return project;
}

/** Generated shapes (circle, square, stripes; `perClass` each) in `dir/shapes`, imported, embedded and mapped (k = 8) into `dir/shapes.winnow`. */
export async function mappedShapes(dir: string, perClass: number): Promise<{ project: string; data: string }> {
  const data = (await makeFixtureFolder(join(dir, 'shapes'), { perClass })).root;
  const project = join(dir, 'shapes.winnow');
  winnow('import', data, '--project', project);
  winnow('embed', '--project', project, '--device', 'cpu');
  winnow('map', '--project', project, '--k', '8');
  return { project, data };
}
