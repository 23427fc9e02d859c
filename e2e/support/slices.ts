// Showing a slice from the Auto-Curate panel as a person does, by clicking its button.
import { expect, type Page } from '@playwright/test';

/**
 * Shows the slice in the panel. A second click would put it away, and a slice may already be on
 * show (a run shows its new slice; after a reload the project's saved UI state shows it again
 * once the map has loaded, which may land just before or after a click): look again until it
 * stays shown.
 */
export async function showSlice(page: Page, name: string): Promise<void> {
  const button = page.getByTestId('curate-panel').getByTestId('slices').getByRole('button').filter({ hasText: name });
  await expect(async () => {
    if ((await button.getAttribute('aria-pressed')) !== 'true') await button.click();
    await expect(button).toHaveAttribute('aria-pressed', 'true', { timeout: 3_000 });
  }).toPass({ timeout: 20_000 });
}
