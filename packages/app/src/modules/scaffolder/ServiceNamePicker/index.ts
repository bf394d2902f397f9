export {
  ServiceNamePicker,
  ServiceNamePickerFieldSchema,
  serviceNamePickerValidation,
} from './ServiceNamePicker';
export { dnsLabelProblem, serviceNameProblem } from './serviceName';
