import { z } from 'zod';
import { method } from './define';
import type { DatasetOverview } from '../model/dataset';

const path = z.string().min(1, 'path is empty').max(4096);

export interface ProjectSummary {
  path: string;
  overview: DatasetOverview;
}

export const projectContract = {
  'project.create': method(z.object({ path })).returns<ProjectSummary>(),
  'project.open': method(z.object({ path })).returns<ProjectSummary>(),
  'project.current': method(z.object({})).returns<ProjectSummary | null>(),
  'project.close': method(z.object({})).returns<{ closed: boolean }>(),
};
