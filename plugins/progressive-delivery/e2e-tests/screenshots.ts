import { Locator, Page } from '@playwright/test';

const DIR = 'test-results/screenshots';

/**
 * A full-page screenshot into test-results/screenshots/. Animations are disabled: the split bar
 * animates a change of weight, so it is shot settled.
 */
export async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({
    path: `${DIR}/${name}.png`,
    fullPage: true,
    animations: 'disabled',
  });
}

/** A screenshot of one part of the page, scrolled into view first. */
export async function shootPart(part: Locator, name: string): Promise<void> {
  await part.scrollIntoViewIfNeeded();
  await part.screenshot({
    path: `${DIR}/${name}.png`,
    animations: 'disabled',
  });
}
